"""The web app: pages, JSON API, sign-in (see web.app.create_app)."""
