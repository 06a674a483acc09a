"""login_failures: the login back-off per (user name, address) pair (issue 8, defect 5)

Replaces the per-account rate limit, which let anyone lock an account out: failures are counted per
(lower-cased user name, client address), so only the guessing address waits.

Revision ID: 7c3d2a9e4f10
Revises: 5b1e0c7d9a2f
Create Date: 2026-12-02 20:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = '7c3d2a9e4f10'
down_revision: Union[str, Sequence[str], None] = '5b1e0c7d9a2f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'login_failures',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=128), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('username', 'address', name=op.f('pk_login_failures')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('login_failures')
