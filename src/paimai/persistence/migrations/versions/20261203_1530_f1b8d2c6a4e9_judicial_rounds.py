"""judicial rounds (issue 9): each round of a property is its own lot, linked to the one before

Revision ID: f1b8d2c6a4e9
Revises: d9a3f6b2c8e4
Create Date: 2026-12-03 15:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'f1b8d2c6a4e9'
down_revision: Union[str, Sequence[str], None] = 'd9a3f6b2c8e4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema. The foreign key comes with the column (SQLite cannot add one later without rebuilding
    `lots`, which other tables reference)."""
    op.add_column('lots', sa.Column('round', sa.Integer(), server_default='1', nullable=False))
    op.add_column('lots', sa.Column('round_kind', sa.String(length=16), server_default='first', nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE lots ADD COLUMN previous_lot_id INTEGER REFERENCES lots (id)')
    else:
        op.add_column('lots', sa.Column('previous_lot_id', ID, nullable=True))
        op.create_foreign_key(op.f('fk_lots_previous_lot_id_lots'), 'lots', 'lots', ['previous_lot_id'], ['id'])
    op.create_index(op.f('ix_lots_previous_lot_id'), 'lots', ['previous_lot_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_lots_previous_lot_id'), table_name='lots')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_lots_previous_lot_id_lots'), 'lots', type_='foreignkey')
    for name in ('previous_lot_id', 'round_kind', 'round'):
        op.drop_column('lots', name)
