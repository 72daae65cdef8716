"""index outbox

Revision ID: 0004_outbox
Revises: 0003_lending
Create Date: 2026-11-21

A record change writes an outbox row in its own transaction; a worker
delivers the rows to the search backend (issue 5). Records an older version
left unindexed are queued once here, so nothing is lost on upgrade.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_outbox'
down_revision = '0003_lending'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('index_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_index_outbox_record', ['record_id'], unique=False)
    op.execute(
        "INSERT INTO index_outbox (record_id, action, created_at, attempts, last_error) "
        "SELECT id, 'upsert', CURRENT_TIMESTAMP, 0, '' FROM records "
        "WHERE indexed_version != version"
    )


def downgrade() -> None:
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_index_outbox_record')
    op.drop_table('index_outbox')
