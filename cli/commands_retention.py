"""`saraban retention ...` and `saraban hold ...`: clocks, holds, the yearly review, transfer.

Every command takes `--today YYYY-MM-DD` so demos and checks can run any date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy import select

from cli.main import app, emit_json, err, handle_errors, settings
from ingest.archive import Archive
from retention import destruction, forms, holds, review, schedule, survey, transfer
from schemas.clock import set_today, today
from schemas.enums import ClockStart, Decision, Secrecy, TransferList
from schemas.errors import NotFound
from schemas.tables import LegalHoldRecord

retention_app = typer.Typer(help="การเก็บรักษาและการทำลายหนังสือ (retention)", no_args_is_help=True)
review_app = typer.Typer(help="การทำลายหนังสือประจำปี ทีละขั้น (the yearly review)",
                         no_args_is_help=True)
hold_app = typer.Typer(help="ระงับการทำลาย (legal holds)", no_args_is_help=True)
app.add_typer(retention_app, name="retention")
retention_app.add_typer(review_app, name="review")
app.add_typer(hold_app, name="hold")

TODAY = typer.Option(None, "--today", help="วันที่ของวันนี้ YYYY-MM-DD (simulate a date)")
ACTOR = typer.Option("cli", "--actor", help="ผู้ดำเนินการ (who, for the audit log)")
YEAR = typer.Option(..., "--year", help="ปี พ.ศ. ที่ครบกำหนดเก็บ (BE year whose retention ended)")


def _open(when: str | None) -> Archive:
    if when:
        set_today(dt.date.fromisoformat(when))
    return Archive.open(settings())


@retention_app.command("due")
@handle_errors
def due(year: int = YEAR, when: str | None = TODAY,
        as_json: bool = typer.Option(False, "--json")) -> None:
    """หนังสือที่ครบกำหนดเก็บ (what the survey for that year would list)."""
    archive = _open(when)
    with archive.db.session() as session:
        items = survey.due_records(session, year)
    archive.close()
    if as_json:
        emit_json({"year": year, "records": [item.as_json() for item in items]})
        return
    err.print(f"ครบกำหนดเก็บภายในปี {year}: {len(items)} ฉบับ")
    for item in items:
        typer.echo(f"#{item.record_id}\t{item.number or '-'}\t{item.date or '-'}\t"
                   f"{item.retention_class}\t{item.keep_until}\t{item.subject or ''}")


@retention_app.command("schedule")
@handle_errors
def show_schedule(as_json: bool = typer.Option(False, "--json")) -> None:
    """ตารางการเก็บรักษา (the retention schedule)."""
    archive = _open(None)
    with archive.db.session() as session:
        rows = [{"code": c.code, "name": c.name, "years": c.years, "permanent": c.permanent,
                 "per_record": c.per_record, "clock_start": c.clock_start, "version": c.version}
                for c in schedule.classes(session).values()]
    archive.close()
    if as_json:
        emit_json({"classes": rows})
        return
    for row in rows:
        typer.echo("\t".join(str(row[k]) for k in ("code", "years", "clock_start", "version",
                                                   "name")))


@retention_app.command("set-class")
@handle_errors
def set_schedule_class(
    code: str = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
    years: int | None = typer.Option(None), clock_start: ClockStart | None = typer.Option(None),
    actor: str = ACTOR, when: str | None = TODAY,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """แก้ไขประเภทการเก็บรักษา แล้วคำนวณใหม่ (change a class; shows the clocks that moved)."""
    archive = _open(when)
    with archive.db.session() as session:
        changes = schedule.update_class(session, code, actor=actor, reason=reason, years=years,
                                        clock_start=clock_start)
    archive.close()
    if as_json:
        emit_json({"code": code, "changed": [c.as_json() for c in changes]})
        return
    err.print(f"เปลี่ยนแล้ว {len(changes)} ฉบับ (clocks changed)")
    for change in changes:
        data = change.as_json()
        typer.echo(f"#{data['record_id']}\t{data['old']} → {data['new']}")


@retention_app.command("classify")
@handle_errors
def classify_record(
    record_id: int = typer.Argument(...), code: str = typer.Argument(...),
    until: int | None = typer.Option(None, "--until", help="เก็บถึงปี พ.ศ. (per-record year)"),
    closed: str | None = typer.Option(None, "--closed", help="วันที่ปิดเรื่อง YYYY-MM-DD"),
    reason: str = typer.Option("", "--reason"), actor: str = ACTOR, when: str | None = TODAY,
) -> None:
    """กำหนดประเภทการเก็บรักษาของหนังสือเอง (a person overrides the rule)."""
    archive = _open(when)
    with archive.db.session() as session:
        change = schedule.set_class(session, record_id, code, actor=actor, reason=reason,
                                    fixed_until=until,
                                    closed_on=dt.date.fromisoformat(closed) if closed else None)
        clock = schedule.clock_for(session, record_id)
        label = schedule.keep_label(clock.keep_until, clock.permanent) if clock else ""
    archive.close()
    moved = f" ({change.as_json()['old']} → {change.as_json()['new']})" if change else ""
    err.print(f"#{record_id}: {code}, {label}{moved}")


@retention_app.command("tick")
@handle_errors
def tick(actor: str = ACTOR, when: str | None = TODAY) -> None:
    """งานประจำวัน: ร่างบัญชีเมื่อถึง 1 ม.ค. และถือว่าเห็นชอบเมื่อครบ 60 วัน (daily job)."""
    archive = _open(when)
    with archive.db.session() as session:
        deemed = review.apply_deemed(session)
        year = survey.current_year()
        opened = None
        try:
            review.get_review(session, year)
        except NotFound:
            opened = survey.open_review(session, year, actor=actor,
                                        agency=archive.settings.office_name,
                                        thai_digits=archive.settings.thai_digits)
            opened = len(review.rows_of(session, opened))
    archive.close()
    for year_deemed in deemed:
        err.print(f"บัญชีปี {year_deemed}: ครบ 60 วัน ถือว่ากรมศิลปากรเห็นชอบแล้ว")
    if opened is not None:
        err.print(f"ร่างบัญชีหนังสือขอทำลายประจำปี {year} แล้ว {opened} รายการ")


# -- the yearly review, one subcommand per step ----------------------------------------


@review_app.command("open")
@handle_errors
def review_open(year: int = YEAR, actor: str = ACTOR, when: str | None = TODAY) -> None:
    """1. สำรวจและจัดทำบัญชีหนังสือขอทำลาย (survey: the draft list)."""
    archive = _open(when)
    with archive.db.session() as session:
        opened = survey.open_review(session, year, actor=actor,
                                    agency=archive.settings.office_name,
                                    thai_digits=archive.settings.thai_digits)
        count = len(review.rows_of(session, opened))
    archive.close()
    err.print(f"บัญชีหนังสือขอทำลายประจำปี {year}: {count} รายการ")


@review_app.command("status")
@handle_errors
def review_status(year: int = YEAR, when: str | None = TODAY,
                  as_json: bool = typer.Option(False, "--json")) -> None:
    """สถานะของบัญชี (stage, committee, rows and decisions)."""
    archive = _open(when)
    with archive.db.session() as session:
        review.apply_deemed(session)
        current = review.get_review(session, year)
        rows = review.rows_of(session, current)
        data = {
            "year": year, "stage": current.stage, "sent_on": current.sent_on,
            "consent": current.consent, "consent_on": current.consent_on,
            "consent_deadline": review.consent_deadline(current),
            "committee": [{"role": m.role, "name": m.name, "level": m.level,
                           "username": m.username} for m in review.committee_of(session, current)],
            "rows": [{"row_id": row.id, "seq": row.seq, "record_id": row.record_id,
                      "number": record.number, "subject": record.subject,
                      "decision": row.decision, "keep_until": row.keep_until_year,
                      "archives_keep_until": row.archives_keep_until, "outcome": row.outcome}
                     for row, record in rows],
        }
    archive.close()
    if as_json:
        emit_json(data)
        return
    err.print(f"ปี {year}: {review.STAGE_THAI[data['stage']]} ({len(data['rows'])} รายการ)")
    for row in data["rows"]:
        typer.echo(f"{row['seq']}\t#{row['record_id']}\t{row['decision'] or '-'}\t"
                   f"{row['outcome'] or ''}\t{row['subject'] or ''}")


def _member(spec: str, role: str) -> review.MemberIn:
    parts = [p.strip() for p in spec.split(":")]
    if len(parts) < 2:
        raise typer.BadParameter("NAME:LEVEL[:POSITION[:USERNAME]]")
    parts += [""] * (4 - len(parts))
    return review.MemberIn(role, parts[0], parts[1], parts[2], parts[3] or None)


@review_app.command("committee")
@handle_errors
def review_committee(
    year: int = YEAR,
    chair: str = typer.Option(..., help="NAME:LEVEL[:POSITION[:USERNAME]]"),
    member: list[str] = typer.Option(..., help="NAME:LEVEL[:POSITION[:USERNAME]] (two or more)"),
    actor: str = ACTOR, when: str | None = TODAY,
) -> None:
    """2. แต่งตั้งคณะกรรมการทำลายหนังสือ (appoint the committee: a chair, two members or more)."""
    archive = _open(when)
    members = [_member(chair, "chair"), *(_member(m, "member") for m in member)]
    with archive.db.session() as session:
        review.appoint_committee(session, review.get_review(session, year), members, actor=actor)
    archive.close()
    err.print(f"แต่งตั้งคณะกรรมการ {len(members)} คนแล้ว")


@review_app.command("decide")
@handle_errors
def review_decide(
    year: int = YEAR, actor: str = typer.Option(..., "--actor", help="กรรมการ (username)"),
    rows: list[int] = typer.Option([], "--row", help="row id (repeat); none: every undecided row"),
    keep_until: int | None = typer.Option(None, "--keep-until", help="เก็บต่อถึงปี พ.ศ."),
    reason: str = typer.Option("", "--reason"), when: str | None = TODAY,
) -> None:
    """3. คณะกรรมการพิจารณา: ทำลาย หรือเก็บต่อถึงปี (decide rows; --keep-until keeps)."""
    archive = _open(when)
    decision = Decision.keep if keep_until else Decision.destroy
    with archive.db.session() as session:
        current = review.get_review(session, year)
        targets = rows or [row.id for row, _ in review.rows_of(session, current)
                           if not row.decision]
        for row_id in targets:
            review.decide(session, current, row_id, decision, actor=actor,
                          clearance=Secrecy.top_secret, keep_until=keep_until, reason=reason)
    archive.close()
    err.print(f"บันทึกการพิจารณา {len(targets)} รายการ ({decision.value})")


@review_app.command("report")
@handle_errors
def review_report(year: int = YEAR, actor: str = typer.Option(..., "--actor"),
                  when: str | None = TODAY) -> None:
    """3. คณะกรรมการรายงานหัวหน้าส่วนราชการ (the committee reports to the head)."""
    archive = _open(when)
    with archive.db.session() as session:
        review.report(session, review.get_review(session, year), actor=actor)
    archive.close()
    err.print("ส่งรายงานคณะกรรมการแล้ว")


@review_app.command("approve")
@handle_errors
def review_approve(year: int = YEAR, actor: str = typer.Option(..., "--actor"),
                   when: str | None = TODAY) -> None:
    """4. หัวหน้าส่วนราชการอนุมัติ (the head approves)."""
    archive = _open(when)
    with archive.db.session() as session:
        review.approve(session, review.get_review(session, year), actor=actor)
    archive.close()
    err.print("หัวหน้าส่วนราชการอนุมัติแล้ว")


@review_app.command("send")
@handle_errors
def review_send(year: int = YEAR, sent_on: str = typer.Option(..., "--date"),
                reference: str = typer.Option("", "--reference"), actor: str = ACTOR,
                when: str | None = TODAY) -> None:
    """4. ส่งบัญชีให้กรมศิลปากร (sent on DATE; the 60-day clock starts)."""
    archive = _open(when)
    with archive.db.session() as session:
        current = review.get_review(session, year)
        review.send(session, current, sent_on=dt.date.fromisoformat(sent_on), actor=actor,
                    reference=reference)
        deadline = review.consent_deadline(current)
    archive.close()
    err.print(f"ส่งแล้ว ถ้ากรมศิลปากรไม่ตอบ ถือว่าเห็นชอบในวันที่ {deadline}")


@review_app.command("answer")
@handle_errors
def review_answer(
    year: int = YEAR, answered_on: str = typer.Option(..., "--date"),
    keep: list[str] = typer.Option([], "--keep", help="ROW_ID:YEAR:REASON the Archives keeps"),
    reference: str = typer.Option("", "--reference"), actor: str = ACTOR,
    when: str | None = TODAY,
) -> None:
    """4. บันทึกคำตอบของกรมศิลปากร (all approved, or some rows kept until a year)."""
    keeps = {}
    for item in keep:
        row_id, _, rest = item.partition(":")
        year_text, _, why = rest.partition(":")
        keeps[int(row_id)] = (int(year_text), why)
    archive = _open(when)
    with archive.db.session() as session:
        review.answer(session, review.get_review(session, year),
                      answered_on=dt.date.fromisoformat(answered_on), actor=actor, keeps=keeps,
                      reference=reference)
    archive.close()
    err.print(f"บันทึกคำตอบแล้ว (เก็บต่อ {len(keeps)} รายการ)")


@review_app.command("destroy")
@handle_errors
def review_destroy(year: int = YEAR, actor: str = ACTOR, when: str | None = TODAY,
                   as_json: bool = typer.Option(False, "--json")) -> None:
    """5. ทำลาย (only approved rows, only after consent; resumes if interrupted)."""
    archive = _open(when)
    result = destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings,
                                 year, actor=actor)
    archive.close()
    if as_json:
        emit_json({"year": year, "destroyed": result.destroyed, "skipped": result.skipped})
        return
    err.print(f"ทำลายแล้ว {len(result.destroyed)} ฉบับ; ไม่ได้ทำลาย {len(result.skipped)} ฉบับ")


@review_app.command("print")
@handle_errors
def review_print(
    year: int = YEAR,
    form: str = typer.Option("list", help="list | committee-report | destruction-report"),
    pdf: Path | None = typer.Option(None, "--pdf"),
    xlsx: Path | None = typer.Option(None, "--xlsx"),
    thai_digits: bool | None = typer.Option(None, "--thai-digits/--arabic-digits"),
    when: str | None = TODAY,
) -> None:
    """พิมพ์บัญชีหรือรายงาน เป็น PDF และ/หรือ XLSX (print the list or a report)."""
    archive = _open(when)
    builders = {"list": forms.destruction_list, "committee-report": forms.committee_report,
                "destruction-report": forms.destruction_report}
    if form not in builders:
        raise typer.BadParameter(f"--form must be one of {', '.join(builders)}")
    with archive.db.session() as session:
        current = review.get_review(session, year)
        built = builders[form](session, current, Secrecy.top_secret, archive.settings.office_name)
        digits = current.thai_digits if thai_digits is None else thai_digits
    archive.close()
    if pdf:
        pdf.write_bytes(forms.form_pdf(built, digits))
        err.print(f"PDF: {pdf}")
    if xlsx:
        xlsx.write_bytes(forms.forms_xlsx([built], digits))
        err.print(f"XLSX: {xlsx}")


@retention_app.command("transfer")
@handle_errors
def transfer_lists(
    year: int = typer.Option(..., "--year", help="ปี พ.ศ. ของบัญชีส่งมอบ"),
    pdf: Path | None = typer.Option(None, "--pdf", help="handover list PDF (keep-back: -keep.pdf)"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="both lists, one sheet each"),
    mark: str | None = typer.Option(None, "--mark-transferred", help="YYYY-MM-DD handed over"),
    thai_digits: bool = typer.Option(False, "--thai-digits/--arabic-digits"),
    actor: str = ACTOR, when: str | None = TODAY,
) -> None:
    """บัญชีส่งมอบหนังสือครบ ๒๐ ปี และบัญชีขอเก็บเอง (20-year transfer lists)."""
    archive = _open(when)
    agency = archive.settings.office_name
    with archive.db.session() as session:
        added = transfer.build_lists(session, year, actor=actor)
        marked = (transfer.mark_transferred(session, year, on=dt.date.fromisoformat(mark),
                                            actor=actor) if mark else [])
        handover = forms.transfer_form(session, year, TransferList.handover, Secrecy.top_secret,
                                       agency)
        keep_back = forms.transfer_form(session, year, TransferList.keep_back,
                                        Secrecy.top_secret, agency)
    archive.close()
    err.print(f"ปี {year}: ส่งมอบ {len(handover.rows)} รายการ, ขอเก็บเอง {len(keep_back.rows)} "
              f"รายการ (ใหม่ {len(added)}, ทำเครื่องหมายส่งมอบ {len(marked)})")
    if pdf:
        pdf.write_bytes(forms.form_pdf(handover, thai_digits))
        pdf.with_name(pdf.stem + "-keep.pdf").write_bytes(forms.form_pdf(keep_back, thai_digits))
    if xlsx:
        xlsx.write_bytes(forms.forms_xlsx([handover, keep_back], thai_digits))


# -- legal holds ---------------------------------------------------------------------


@hold_app.command("add")
@handle_errors
def hold_add(record_id: int = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
             reference: str = typer.Option("", "--reference", help="คดี/การตรวจสอบ"),
             actor: str = ACTOR, when: str | None = TODAY) -> None:
    """ระงับการทำลายหนังสือหนึ่งฉบับ (put one record on hold)."""
    archive = _open(when)
    with archive.db.session() as session:
        hold = holds.hold_record(session, record_id, reason=reason, actor=actor,
                                 reference=reference)
        hold_id = hold.id
    archive.close()
    err.print(f"ระงับการทำลาย #{record_id} แล้ว (hold {hold_id})")


@hold_app.command("search")
@handle_errors
def hold_search(query: str = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
                reference: str = typer.Option("", "--reference"), actor: str = ACTOR,
                when: str | None = TODAY) -> None:
    """ระงับการทำลายทุกฉบับที่ค้นพบ (hold every record a search finds)."""
    archive = _open(when)
    with archive.db.session() as session:
        hold = holds.hold_search(session, archive.backend, query, reason=reason, actor=actor,
                                 clearance=Secrecy.top_secret, reference=reference)
        count = len(session.scalars(select(LegalHoldRecord.record_id).where(
            LegalHoldRecord.hold_id == hold.id)).all())
    archive.close()
    err.print(f"ระงับการทำลาย {count} ฉบับ (hold {hold.id})")


@hold_app.command("range")
@handle_errors
def hold_range(reason: str = typer.Option(..., "--reason"),
               id_from: int | None = typer.Option(None, "--from-id"),
               id_to: int | None = typer.Option(None, "--to-id"),
               date_from: str | None = typer.Option(None, "--from-date"),
               date_to: str | None = typer.Option(None, "--to-date"),
               reference: str = typer.Option("", "--reference"), actor: str = ACTOR,
               when: str | None = TODAY) -> None:
    """ระงับการทำลายช่วงทะเบียน (a range of record numbers and/or dates)."""
    archive = _open(when)
    with archive.db.session() as session:
        hold = holds.hold_range(
            session, reason=reason, actor=actor, clearance=Secrecy.top_secret,
            reference=reference, id_from=id_from, id_to=id_to,
            date_from=dt.date.fromisoformat(date_from) if date_from else None,
            date_to=dt.date.fromisoformat(date_to) if date_to else None)
        hold_id = hold.id
    archive.close()
    err.print(f"ระงับการทำลายแล้ว (hold {hold_id})")


@hold_app.command("release")
@handle_errors
def hold_release(record_id: int = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
                 actor: str = ACTOR, when: str | None = TODAY) -> None:
    """ยกเลิกการระงับการทำลายของหนังสือหนึ่งฉบับ (release; audited)."""
    archive = _open(when)
    with archive.db.session() as session:
        released = holds.release_record(session, record_id, reason=reason, actor=actor)
    archive.close()
    err.print(f"ยกเลิกการระงับ #{record_id} แล้ว ({released} รายการ)")


@hold_app.command("list")
@handle_errors
def hold_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """รายการระงับการทำลาย (holds)."""
    archive = _open(None)
    with archive.db.session() as session:
        views = holds.holds_for(session, Secrecy.top_secret)
    archive.close()
    data = [{"hold_id": v.id, "reason": v.reason, "reference": v.reference, "scope": v.scope,
             "records": v.record_ids, "active": v.active} for v in views]
    if as_json:
        emit_json({"holds": data, "today": today().isoformat()})
        return
    for item in data:
        typer.echo(f"{item['hold_id']}\t{item['scope']}\t{item['active']}/{len(item['records'])}"
                   f"\t{item['reason']}")
