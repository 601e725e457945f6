"""Shared set-up for the benchmarks: a throw-away database, the demo province, figures.

Not a benchmark itself (``make bench`` runs every ``benchmarks/*.py``, so running this file
just says so and exits). Each benchmark calls :func:`bench_database` *before* importing any
model: it points ``DATABASE_URL`` at a fresh PostgreSQL database (``motcua_bench_<topic>``,
dropped afterwards, also on failure) or a temporary SQLite file, points ``MOTCUA_VAR_DIR`` at
a temporary directory (huey queue, SMS outbox, media) and runs the migrations. The
developer's ``var/motcua.sqlite3`` is never opened.
"""
from __future__ import annotations

import contextlib
import os
import resource
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
JUSTICE = "000.00.14.H42"          # Sở Tư pháp
PROVINCIAL_CENTRE = "000.00.01.H42"  # Trung tâm Phục vụ hành chính công tỉnh


def _admin_sql(statement: str) -> None:
    import psycopg
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


@contextlib.contextmanager
def bench_database(topic: str, *, sqlite: bool = False, quiet: bool = True, keep: bool = False,
                   reuse: bool = False):
    """Create, migrate, yield, then drop a database for one benchmark run.

    Yields a short label ("postgresql" or "sqlite"). Django is set up inside. ``keep``: the PostgreSQL
    database is left in place afterwards; ``reuse``: a database left so is opened (and migrated)
    instead of created — loading 10,000,000 dossiers takes a quarter of an hour, timing pages minutes.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"motcua_bench_{topic}_"))
    name = f"motcua_bench_{topic}"
    os.environ["MOTCUA_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ.setdefault("DEBUG", "0")
    created = False
    try:
        if sqlite:
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        elif not reuse:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _admin_sql(f'CREATE DATABASE "{name}"')
            created = True
        if not sqlite:
            os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
        import django
        django.setup()
        from django.conf import settings
        # Demo accounts are created with passwords; real PBKDF2 rounds are not what we measure.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        from django.core.management import call_command
        call_command("migrate", verbosity=0 if quiet else 1, interactive=False)
        yield "sqlite" if sqlite else "postgresql"
    finally:
        if "django" in sys.modules:
            with contextlib.suppress(Exception):
                from django.db import connections
                connections.close_all()
        if created and not keep:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def load_province():
    """The demo province (Ninh Bình) and its calendar 2025–2027; returns {code: Agency}."""
    from motcua.orgs import demo
    from motcua.orgs.models import Agency
    from motcua.workcal import services as workcal
    demo.load()
    workcal.seed_calendar(2025, 2027)
    workcal.clear_cache()
    return {a.code: a for a in Agency.objects.all()}


def make_procedure(agencies, code="2.001417", days=10,
                   name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", competent=JUSTICE,
                   field=("LLTP", "Lý lịch tư pháp"), result=("Phiếu lý lịch tư pháp", "LLTP"),
                   review="Thẩm định, tra cứu thông tin lý lịch", approve="Lãnh đạo Sở phê duyệt, ký"):
    """A published procedure received at a centre and handled by ``competent``.

    The same shape as ``make_procedure`` in tests/dossiers/conftest.py: three required documents
    (two mandatory) and five steps — reception, review (handler), approval, issue (clerk), return.
    """
    from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredDocument
    field_obj, _ = Field.objects.get_or_create(code=field[0], defaults={"name": field[1]})
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure, name=name, field=field_obj, levels=["province"], time_value=Decimal(days),
        fee_amount=200000, result_name=result[0], result_type_code=result[1],
        status=ProcedureVersion.Status.PUBLISHED, fee_refundable_on_stop=True)
    version.agencies.add(agencies[competent])
    procedure.current_version = version
    procedure.save()
    RequiredDocument.objects.create(version=version, order=1, name=f"Tờ khai đề nghị {name[0].lower()}{name[1:]}",
                                    originals=1, copies=0)
    RequiredDocument.objects.create(version=version, order=2, name="Bản chụp Căn cước", originals=0, copies=1)
    RequiredDocument.objects.create(version=version, order=3, name="Giấy ủy quyền", originals=1, mandatory=False)
    budgets = [("Tiếp nhận, chuyển hồ sơ", "receiving", "receiver", "0.5"),
               (review, "competent", "handler", str(days - 2.5)),
               (approve, "competent", "approver", "1"),
               ("Vào sổ, đóng dấu, phát hành", "competent", "clerk", "0.5"),
               ("Trả kết quả", "receiving", "receiver", "0.5")]
    for order, (step_name, performer, role, budget) in enumerate(budgets, start=1):
        ProcessStep.objects.create(version=version, order=order, name=step_name, performer=performer, role=role,
                                   budget=Decimal(budget))
    return version


class TableWriter:
    """Writes rows of one model straight into its table: one COPY per batch on PostgreSQL, executemany elsewhere."""

    def __init__(self, model):
        from django.db import connection
        self.connection = connection
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.base = [f.get_default() for f in self.fields]
        qn = connection.ops.quote_name
        table, columns = qn(model._meta.db_table), ", ".join(qn(c) for c in self.columns)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.columns))})"
        self.count = 0

    def row(self, **values):
        """A row with every column at its model default, then ``values`` (by attname)."""
        row = list(self.base)
        for name, value in values.items():
            row[self.index[name]] = value
        return row

    def write_batch(self, rows):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                prep = [[f.get_db_prep_save(v, self.connection) if v is not None else None
                         for f, v in zip(self.fields, row)] for row in rows]
                cursor.executemany(self.insert_sql, prep)
        self.count += len(rows)


def percentile(values, p: float) -> float:
    """Nearest-rank percentile of ``values`` (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its (waited-for) children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # Linux reports KiB


def print_figures(figures) -> None:
    """``figures``: iterable of (name, value, unit); printed last, one per line."""
    for name, value, unit in figures:
        if isinstance(value, float):
            value = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
        print(f"{name}: {value} {unit}".rstrip(), flush=True)


if __name__ == "__main__":
    print("benchmarks/_common.py: shared helpers, nothing to measure.")
