import shutil

from citysoc_agent.checks import autoruns
from citysoc_agent.checks.base import Context

from tests.agent.support import FIXTURES


def _run(root, previous=None):
    ctx = Context(job={"autoruns_root": str(root)}, previous=previous or {})
    return autoruns.run(autoruns.prepare(ctx), None), ctx


def test_the_first_sweep_lists_cron_jobs_and_flags_nothing(tmp_path):
    shutil.copytree(FIXTURES / "autoruns", tmp_path, dirs_exist_ok=True)
    found, ctx = _run(tmp_path)
    assert found == []
    assert ctx.remember["autoruns"] == [
        "cron:backup:30 2 * * * root /usr/local/bin/backup.sh",
        "cron:crontab:17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly",
    ]
    assert ctx.summary["autoruns"]["first_sweep"] is True


def test_a_cron_job_added_since_the_last_sweep_is_a_notice(tmp_path):
    shutil.copytree(FIXTURES / "autoruns", tmp_path, dirs_exist_ok=True)
    _, first = _run(tmp_path)
    (tmp_path / "etc/cron.d/miner").write_text("* * * * * root /tmp/.x/kworker\n")
    found, ctx = _run(tmp_path, previous=first.remember)
    assert [(f.score, f.rule) for f in found] == [(30, "cron:miner:* * * * * root /tmp/.x/kworker")]
    assert ctx.summary["autoruns"]["removed"] == []
