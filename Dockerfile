# Saraban Archive: the app and its worker (one image, two commands; see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HAYSTACK_TELEMETRY_ENABLED=False \
    SARABAN_HOME=/var/lib/saraban
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng ghostscript unpaper pngquant qpdf \
      poppler-utils fonts-thai-tlwg fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/saraban --shell /usr/sbin/nologin saraban \
 && mkdir -p /var/lib/saraban && chown saraban /var/lib/saraban

WORKDIR /opt/saraban
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir uv==0.13.8 \
 && uv pip install --system --no-cache -r requirements.lock
COPY schemas schemas
COPY store store
COPY ocr ocr
COPY ingest ingest
COPY index index
COPY retention retention
COPY web web
COPY cli cli
RUN uv pip install --system --no-cache --no-deps .

USER saraban
VOLUME /var/lib/saraban
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8000/login >/dev/null || exit 1
CMD ["saraban", "serve", "--host", "0.0.0.0", "--port", "8000"]
