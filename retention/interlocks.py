"""What other desks say about a record that retention must respect.

A record on loan cannot be listed for destruction, destroyed or transferred
(DOMAIN.md, Lending and Destruction). The survey, the destruction and the
transfer steps all ask here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def records_on_loan(session: Session) -> set[int]:
    """Ids of records (or of records whose paper file) are out on loan now.

    Wired to the lending desk (issue #7) when it lands; until then nothing is
    ever on loan, so this returns an empty set.
    """
    del session
    return set()
