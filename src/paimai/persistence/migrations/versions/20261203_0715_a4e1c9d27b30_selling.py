"""selling: a lot's return policy, and a seller application's licence number, court name and phone (issue 14)

Revision ID: a4e1c9d27b30
Revises: 7c3d2a9e4f10
Create Date: 2026-12-03 07:15:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a4e1c9d27b30'
down_revision: Union[str, Sequence[str], None] = '7c3d2a9e4f10'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lots') as batch:
        batch.add_column(sa.Column('return_policy', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('seller_applications') as batch:
        batch.add_column(sa.Column('licence_number', sa.String(length=64), server_default='', nullable=False))
        batch.add_column(sa.Column('court_name', sa.String(length=128), server_default='', nullable=False))
        batch.add_column(sa.Column('contact_phone', sa.String(length=32), server_default='', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('seller_applications') as batch:
        batch.drop_column('contact_phone')
        batch.drop_column('court_name')
        batch.drop_column('licence_number')
    with op.batch_alter_table('lots') as batch:
        batch.drop_column('return_policy')
