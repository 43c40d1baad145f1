"""The site set-up commands: create-site, create-api-key (prints only the key), set-webhook."""

from __future__ import annotations

import sqlalchemy as sa

from moderation.db.models import ApiKey, Site


def test_create_site_with_several_domains(runner, db):
    result = runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "DailyChronicle.in",
                                 "--domain", "www.m.dailychronicle.in"])
    assert result.exit_code == 0, result.output
    site = db.scalar(sa.select(Site))
    assert (site.name, site.domains, site.policy_name) == ("chronicle", ["dailychronicle.in", "m.dailychronicle.in"],
                                                           "default")


def test_create_site_refuses_a_duplicate_name_or_unknown_policy(runner):
    assert runner.invoke(args=["moderation", "create-site", "--name", "x"]).exit_code == 0
    duplicate = runner.invoke(args=["moderation", "create-site", "--name", "x"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    unknown = runner.invoke(args=["moderation", "create-site", "--name", "y", "--policy", "nope"])
    assert unknown.exit_code == 1 and "no policy" in unknown.output


def test_create_api_key_prints_only_the_key_and_stores_only_its_hash(app, runner, db, client):
    runner.invoke(args=["moderation", "create-site", "--name", "chronicle"])
    result = runner.invoke(args=["moderation", "create-api-key", "--site", "chronicle"])
    assert result.exit_code == 0
    key = result.stdout.strip()
    assert result.stdout == key + "\n" and key.startswith("mk_")
    stored = db.scalar(sa.select(ApiKey))
    db.commit()
    assert key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    response = client.get("/api/v1/webhook-deliveries", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_create_api_key_for_an_unknown_site_fails(runner):
    result = runner.invoke(args=["moderation", "create-api-key", "--site", "ghost"])
    assert result.exit_code == 1 and result.stdout == ""


def test_set_webhook_prints_the_signing_secret(runner, db):
    runner.invoke(args=["moderation", "create-site", "--name", "chronicle"])
    result = runner.invoke(args=["moderation", "set-webhook", "--site", "chronicle", "--url", "https://cms.example/h"])
    assert result.exit_code == 0
    site = db.scalar(sa.select(Site))
    assert (site.webhook_url, site.webhook_secret) == ("https://cms.example/h", result.stdout.strip())


def test_revoked_keys_are_refused(runner, client):
    runner.invoke(args=["moderation", "create-site", "--name", "chronicle"])
    key = runner.invoke(args=["moderation", "create-api-key", "--site", "chronicle"]).stdout.strip()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/webhook-deliveries", headers=headers).status_code == 200
    assert runner.invoke(args=["moderation", "revoke-api-key", key.split("_")[1]]).exit_code == 0
    assert client.get("/api/v1/webhook-deliveries", headers=headers).status_code == 403
    assert runner.invoke(args=["moderation", "revoke-api-key", "000000000000"]).exit_code == 1


def test_update_site_replaces_its_domains_and_changes_its_policy(app, runner, db, monkeypatch):
    import dataclasses

    from moderation.extensions import resources

    runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "dailychronicle.in"])
    with app.app_context():
        policies = resources().policies
        monkeypatch.setitem(policies, "strict", dataclasses.replace(policies["default"], name="strict"))
    result = runner.invoke(args=["moderation", "update-site", "--name", "chronicle", "--domain", "WWW.Chronicle.news",
                                 "--domain", "epaper.chronicle.news", "--policy", "strict"])
    assert result.exit_code == 0, result.output
    assert "domains chronicle.news, epaper.chronicle.news, policy strict" in result.output
    site = db.scalar(sa.select(Site))
    assert (site.domains, site.policy_name) == (["chronicle.news", "epaper.chronicle.news"], "strict")
    db.commit()  # end the read before the command writes
    cleared = runner.invoke(args=["moderation", "update-site", "--name", "chronicle", "--no-domains"])
    assert cleared.exit_code == 0, cleared.output
    db.expire_all()
    assert (site.domains, site.policy_name) == ([], "strict")


def test_update_site_refuses_unknown_sites_and_policies_and_asks_for_a_change(runner, db):
    runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "dailychronicle.in"])
    ghost = runner.invoke(args=["moderation", "update-site", "--name", "ghost", "--policy", "default"])
    assert ghost.exit_code == 1 and "no site named 'ghost'" in ghost.output
    unknown = runner.invoke(args=["moderation", "update-site", "--name", "chronicle", "--policy", "nope"])
    assert unknown.exit_code == 1 and "no policy named 'nope'" in unknown.output
    nothing = runner.invoke(args=["moderation", "update-site", "--name", "chronicle"])
    assert nothing.exit_code == 2 and "--policy" in nothing.output
    both = runner.invoke(args=["moderation", "update-site", "--name", "chronicle", "--domain", "a.in", "--no-domains"])
    assert both.exit_code == 2
    assert db.scalar(sa.select(Site.domains)) == ["dailychronicle.in"]


def test_list_sites_shows_policy_domains_webhook_and_live_key_prefixes(runner):
    runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "dailychronicle.in"])
    runner.invoke(args=["moderation", "create-site", "--name", "evening"])
    runner.invoke(args=["moderation", "set-webhook", "--site", "chronicle", "--url", "https://cms.example/h"])
    live, revoked = (runner.invoke(args=["moderation", "create-api-key", "--site", "chronicle"]).stdout.split("_")[1]
                     for _ in range(2))
    runner.invoke(args=["moderation", "revoke-api-key", revoked])
    result = runner.invoke(args=["moderation", "list-sites"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"chronicle\tdefault\tdailychronicle.in\thttps://cms.example/h\t{live}",
        "evening\tdefault\t-\t-\t-",
    ]


def test_site_domains_must_be_domain_names(runner, db):
    bad = runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "https://bad domain/"])
    assert bad.exit_code == 1 and "is not a domain name" in bad.output
    ok = runner.invoke(args=["moderation", "create-site", "--name", "chronicle", "--domain", "हिंदी.भारत"])
    assert ok.exit_code == 0, ok.output
    for domain in ("localhost", "chronicle.in/news", "-x.in"):
        refused = runner.invoke(args=["moderation", "update-site", "--name", "chronicle", "--domain", domain])
        assert refused.exit_code == 1 and "is not a domain name" in refused.output, domain
