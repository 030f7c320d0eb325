"""Settings an administrator can change: evaluation schedule defaults and reminder lead times."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class PortalSetting(db.Model):
    __tablename__ = "portal_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict | list | int | bool | str] = mapped_column(JSON)
