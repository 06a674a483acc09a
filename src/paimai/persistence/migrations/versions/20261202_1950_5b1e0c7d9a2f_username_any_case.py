"""usernames unique whatever their case (issue 8, defect 6)

A unique index on lower(username): `Bob` cannot be registered once `bob` exists, even by two
registrations racing. SQLite and PostgreSQL both index expressions.

A database that already holds two names differing only in case (none of the demo data does; the
registration check never allowed the same name, but did allow another case) fails this migration
with a unique-index error: rename one of each pair first, e.g. find them with
`SELECT lower(username) FROM users GROUP BY lower(username) HAVING count(*) > 1`.

Revision ID: 5b1e0c7d9a2f
Revises: dc87110139b4
Create Date: 2026-12-02 19:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5b1e0c7d9a2f'
down_revision: Union[str, Sequence[str], None] = 'dc87110139b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('uq_users_lower_username', 'users', [sa.text('lower(username)')], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('uq_users_lower_username', table_name='users')
