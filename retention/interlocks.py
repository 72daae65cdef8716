"""What other desks say about a record that retention must respect.

A record on loan cannot be listed for destruction, destroyed or transferred
(DOMAIN.md, Lending and Destruction). The survey, the destruction and the
transfer steps all ask here; the lending desk answers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def records_on_loan(session: Session) -> set[int]:
    """Ids of records with an open loan (requested, approved or out), lent
    alone or inside a lent paper file."""
    from retention import loans

    return loans.records_on_loan(session)
