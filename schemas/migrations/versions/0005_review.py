"""review queue: where each field was read, and which fields a person corrected

Revision ID: 0005_review
Revises: 0004_outbox
Create Date: 2026-11-21

`field_sources` keeps, per field, the page and box of the scan it was read
from (the crop shown beside it in the review queue); `corrected_fields` keeps
which fields a person corrected or confirmed, so a later re-extraction does
not overwrite them (issue 3). Existing records get empty objects.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_review'
down_revision = '0004_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_sources', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('corrected_fields', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('corrected_fields')
        batch_op.drop_column('field_sources')
