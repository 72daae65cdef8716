"""review queue in SQL: each record's lowest confidence among the fields left to review

Revision ID: 0006_review_confidence
Revises: 0005_review
Create Date: 2026-11-21

`review_confidence` is the lowest confidence among the header fields no
person has corrected or confirmed (0.0 for a field not read; NULL when a
person saw them all), so the review queue is one indexed query,
`review_confidence < threshold`, instead of decoding every record's JSON on
every page. Existing rows are filled in batches from `confidence` and
`corrected_fields`, by the same rule the app keeps it with
(`schemas.review_rule`), on SQLite and PostgreSQL alike.
"""

from alembic import op
import sqlalchemy as sa

from schemas.review_rule import review_confidence


revision = '0006_review_confidence'
down_revision = '0005_review'
branch_labels = None
depends_on = None

BATCH = 2000
INDEX_COLUMNS = ['status', 'review_confidence', 'secrecy', 'created_at', 'id']

records = sa.table('records', sa.column('id', sa.Integer), sa.column('confidence', sa.JSON),
                   sa.column('corrected_fields', sa.JSON),
                   sa.column('review_confidence', sa.Float))


def upgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_confidence', sa.Float(), nullable=True))
    _backfill(op.get_bind())
    op.create_index('ix_records_review', 'records', INDEX_COLUMNS)


def _backfill(connection: sa.Connection) -> None:
    """Compute the column for every existing row, `BATCH` rows at a time, by id."""
    last = 0
    while True:
        rows = connection.execute(
            sa.select(records.c.id, records.c.confidence, records.c.corrected_fields)
            .where(records.c.id > last).order_by(records.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            records.update().where(records.c.id == sa.bindparam('row_id'))
            .values(review_confidence=sa.bindparam('value')),
            [{'row_id': row.id, 'value': review_confidence(row.confidence, row.corrected_fields)}
             for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index('ix_records_review', table_name='records')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('review_confidence')
