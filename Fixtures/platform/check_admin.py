#!/usr/bin/env python3
"""Catalog administration of quilt-mcp end to end: the official Python MCP SDK (PyPI `mcp`) as the client, the fake
catalog as the catalog, called with the Python quilt-mcp server's tool and parameter names.

Usage: python3 Fixtures/platform/check_admin.py QUILT_MCP FAKE_CATALOG -

  admin      `quilt-mcp` on stdio with api=platform and a catalog admin's token, QUILT_MCP_TOOLSETS=admin: every
             `admin_user_*` tool with its Python parameters (the leaked `quilt_ops` as null), each answer checked
             against the catalog's own state (read back with admin_user_get and admin://users); destructive calls
             without `confirm` are refused naming it; `admin_sso_config_set` with an object; roles; the resources;
             roles, policies, buckets and event rules changed; an API key is not created over MCP (no secret answered).
  non-admin  the remote shape (`--mode remote`, HTTP, the caller's token): a user who is not a catalog admin is
             refused (`forbidden`) by the tools and by admin://users, and the catalog is unchanged.
Prints one line per check and last `admin-tools: N passed, M failed`; exits 1 if anything failed. Bounded (90 s).
Needs: python3 with mcp==2.3.0.
"""
import asyncio
import json
import os
import subprocess
import sys

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "athena"))
import check_athena_tools as base  # noqa: E402 (process and HTTP helpers, and the counters)

record = base.record
BUCKET = "admin-check-bucket"


async def call(session, tool, arguments):
    result = await asyncio.wait_for(session.call_tool(tool, arguments), 30)
    return result, base.answer(result)


async def resource(session, uri):
    read = await asyncio.wait_for(session.read_resource(uri), 30)
    return json.loads(read.contents[0].text)


def start_fake(fake_catalog):
    env, home = base.private_env({})
    log = os.path.join(home, "fake-catalog.log")
    fake = base.spawn([fake_catalog, "--port", "0", "--bucket", BUCKET], env, log, stdout=subprocess.PIPE)
    printed = base.read_printed(fake, log)
    printed.pop("QUILT_MCP_JWT_TOKEN")
    env.update(printed, QUILT_MCP_API="platform", QUILT_MCP_AUTH="jwt", QUILT_MCP_REGISTRY=f"s3://{BUCKET}",
               QUILT_MCP_TOOLSETS="admin")
    return env, home


async def admin_checks(session):
    listed = {t.name for t in (await session.list_tools()).tools}
    python_names = {"admin_user_get", "admin_user_create", "admin_user_delete", "admin_user_set_email", "admin_user_set_admin",
                    "admin_user_set_active", "admin_user_reset_password", "admin_user_set_role", "admin_user_add_roles",
                    "admin_user_remove_roles", "admin_sso_config_set", "admin_sso_config_remove"}
    record("admin: tools/list offers every Python admin tool", python_names <= listed, str(sorted(python_names - listed)))

    none = {"quilt_ops": None}
    result, made = await call(session, "admin_user_create", dict(
        none, name="casey", email="casey@example.com", role="ReadQuiltBucket", extra_roles=["ExternalAnalytics"]))
    user = made.get("user") or {}
    record("admin: admin_user_create makes the user with its roles", not base.is_error(result) and user.get("name") == "casey"
           and (user.get("role") or {}).get("name") == "ReadQuiltBucket"
           and [r.get("name") for r in user.get("extra_roles") or []] == ["ExternalAnalytics"], str(made)[:300])
    steps = [
        ("admin_user_set_email", {"email": "casey@corp.example"}, lambda u: u.get("email") == "casey@corp.example"),
        ("admin_user_set_admin", {"admin": True}, lambda u: u.get("is_admin") is True),
        ("admin_user_set_active", {"active": False}, lambda u: u.get("is_active") is False),
        ("admin_user_set_role", {"role": "ReadWriteQuiltBucket", "extra_roles": None, "append": False},
         lambda u: (u.get("role") or {}).get("name") == "ReadWriteQuiltBucket" and u.get("extra_roles") == []),
        ("admin_user_add_roles", {"roles": ["ExternalAnalytics"]},
         lambda u: [r.get("name") for r in u.get("extra_roles") or []] == ["ExternalAnalytics"]),
        ("admin_user_remove_roles", {"roles": ["ReadWriteQuiltBucket"], "fallback": "ReadQuiltBucket"},
         lambda u: (u.get("role") or {}).get("name") == "ReadQuiltBucket"),
    ]
    for tool, arguments, holds in steps:
        result, changed = await call(session, tool, dict(none, name="casey", **arguments))
        _, read_back = await call(session, "admin_user_get", dict(none, name="casey"))
        record(f"admin: {tool} answers the user after the change, as the catalog then holds it",
               not base.is_error(result) and holds(changed.get("user") or {}) and changed.get("user") == read_back.get("user"),
               str(changed)[:300])
    result, refused = await call(session, "admin_user_remove_roles", dict(none, name="casey", roles=["ReadQuiltBucket"]))
    record("admin: removing the active role without a fallback is refused naming fallback",
           base.is_error(result) and base.error_kind(result) == "invalid_input" and "fallback" in json.dumps(refused), str(refused)[:300])

    result, asked = await call(session, "admin_user_reset_password", dict(none, name="casey"))
    record("admin: a password reset without confirm is not made (consent)", base.is_error(result) and "confirm" in json.dumps(asked),
           str(asked)[:300])
    result, reset = await call(session, "admin_user_reset_password", dict(none, name="casey", confirm=True))
    record("admin: admin_user_reset_password with confirm", not base.is_error(result) and reset.get("password_reset") == "casey", str(reset))

    result, sso = await call(session, "admin_sso_config_set", dict(none, config={"provider": "okta", "default_role": "ReadQuiltBucket"}))
    stored = sso.get("sso_config") or {}
    record("admin: admin_sso_config_set takes the Python server's object (sent as JSON text)",
           not base.is_error(result) and json.loads(stored.get("text") or "null") == {"provider": "okta", "default_role": "ReadQuiltBucket"},
           str(sso)[:300])
    body = await resource(session, "admin://config/sso")
    record("admin: admin://config/sso reads what was stored", (body.get("sso_config") or {}).get("text") == stored.get("text"), str(body)[:300])
    result, removed = await call(session, "admin_sso_config_remove", dict(none, confirm=True))
    _, after = await call(session, "admin_sso_config_get", {})
    record("admin: admin_sso_config_remove removes it", not base.is_error(result) and after.get("sso_config") is None, str(after))

    _, roles = await call(session, "admin_roles_list", {})
    record("admin: admin_roles_list names the default and the unmanaged role",
           [r.get("name") for r in roles.get("roles") or [] if r.get("is_default")] == ["ReadWriteQuiltBucket"]
           and any(r.get("type") == "unmanaged" for r in roles.get("roles") or []), str(roles)[:300])

    result, deleted = await call(session, "admin_user_delete", dict(none, name="casey", confirm=True))
    users = await resource(session, "admin://users")
    record("admin: admin_user_delete removes the user (admin://users no longer lists it)",
           not base.is_error(result) and "casey" not in [u.get("name") for u in users.get("users") or []]
           and users.get("count") == 2, str(users)[:300])
    result, leaked = await call(session, "admin_user_get", {"name": "analyst", "quilt_ops": {"backend": "x"}})
    record("admin: a non-null quilt_ops is refused naming it", base.is_error(result) and "quilt_ops" in json.dumps(leaked), str(leaked)[:300])
    await governance_checks(session)
    uris = {str(r.uri) for r in (await session.list_resources()).resources}
    record("admin: resources/list has the four admin resources",
           {"admin://users", "admin://roles", "admin://config/sso", "admin://config/tabulator"} <= uris, str(sorted(uris)))


async def governance_checks(session):
    result, role = await call(session, "admin_role_create", {"name": "Curators", "policies": ["Read every bucket"]})
    record("admin: admin_role_create makes a managed role with a policy named by title",
           not base.is_error(result) and (role.get("role") or {}).get("type") == "managed", str(role)[:300])
    result, policy = await call(session, "admin_policy_create", {
        "title": "Curate", "permissions": [{"bucket": BUCKET, "level": "READ_WRITE"}], "roles": ["Curators"]})
    record("admin: admin_policy_create attaches bucket permissions to the role",
           not base.is_error(result) and (policy.get("policy") or {}).get("roles") == ["Curators"], str(policy)[:300])
    result, renamed = await call(session, "admin_role_update", {"role": "Curators", "new_name": "Stewards"})
    _, got = await call(session, "admin_role_get", {"role": "Stewards"})
    record("admin: admin_role_update renames, keeping the policies (admin_role_get reads it back)",
           (renamed.get("role") or {}).get("name") == "Stewards" and (got.get("role") or {}).get("policies") == ["Read every bucket", "Curate"],
           str(got)[:300])
    result, default = await call(session, "admin_role_set_default", {"role": "Stewards"})
    _, roles = await call(session, "admin_roles_list", {})
    record("admin: admin_role_set_default", [r.get("name") for r in roles.get("roles") or [] if r.get("is_default")] == ["Stewards"],
           str(roles)[:300])
    await call(session, "admin_role_set_default", {"role": "ReadWriteQuiltBucket"})
    result, retitled = await call(session, "admin_policy_update", {"policy": "Curate", "permissions": [{"bucket": BUCKET, "level": "READ"}]})
    _, policies = await call(session, "admin_policies_list", {})
    _, one = await call(session, "admin_policy_get", {"policy": "Curate"})
    record("admin: admin_policy_update changes the permissions, keeping the roles (list and get agree)",
           (one.get("policy") or {}).get("permissions") == [{"bucket": BUCKET, "level": "READ"}]
           and (one.get("policy") or {}).get("roles") == ["Stewards"]
           and one.get("policy") in (policies.get("policies") or []), str(one)[:300])
    await call(session, "admin_role_update", {"role": "Stewards", "new_name": "Curators"})
    result, refused = await call(session, "admin_role_delete", {"role": "ReadQuiltBucket", "confirm": True})
    record("admin: deleting a role users hold is a conflict", base.error_kind(result) == "conflict", str(refused)[:300])
    for tool, arguments in (("admin_policy_delete", {"policy": "Curate"}), ("admin_role_delete", {"role": "Curators"})):
        result, done = await call(session, tool, dict(arguments, confirm=True))
        record(f"admin: {tool}", not base.is_error(result), str(done)[:200])
    result, added = await call(session, "admin_bucket_add", {"name": "admin-check-extra", "title": "Extra", "tags": ["x"]})
    result2, changed = await call(session, "admin_bucket_update", {"name": "admin-check-extra", "description": "more"})
    record("admin: a bucket added, then updated with its other settings kept",
           not base.is_error(result2) and (changed.get("bucket") or {}).get("tags") == ["x"]
           and (changed.get("bucket") or {}).get("description") == "more", str(changed)[:300])
    result, removed = await call(session, "admin_bucket_remove", {"name": "admin-check-extra", "confirm": True})
    record("admin: admin_bucket_remove", not base.is_error(result), str(removed)[:200])
    result, made = await call(session, "admin_api_key_create", {"name": "ci"})
    record("admin: admin_api_key_create over MCP is refused, no secret answered",
           base.error_kind(result) == "unsupported" and "qk_" not in json.dumps(made), str(made)[:300])
    result, keys = await call(session, "admin_api_keys_list", {})
    record("admin: admin_api_keys_list lists keys without secrets", keys.get("count") == 2 and "secret" not in json.dumps(keys), str(keys)[:300])
    result, revoked = await call(session, "admin_api_key_revoke", {"id": "key-seed-1", "confirm": True})
    _, keys = await call(session, "admin_api_keys_list", {})
    record("admin: admin_api_key_revoke removes the key", [k.get("id") for k in keys.get("api_keys") or []] == ["key-seed-2"], str(keys)[:300])
    result, rule = await call(session, "admin_packager_event_rule_set", {"name": "package-on-upload", "enabled": True})
    _, rules = await call(session, "admin_packager_event_rules_list", {})
    record("admin: admin_packager_event_rule_set (admin_packager_event_rules_list shows it)",
           (rule.get("event_rule") or {}).get("enabled") is True and rules.get("count") == 2
           and all(r.get("enabled") for r in rules.get("event_rules") or []), str(rules)[:200])


async def run_admin(binary, fake_catalog, _):
    env, _ = start_fake(fake_catalog)
    env["QUILT_MCP_JWT_TOKEN"] = base.catalog_token(fake_catalog, "admin")
    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            await admin_checks(session)


async def run_non_admin(binary, fake_catalog, _):
    env, home = start_fake(fake_catalog)
    url = base.start_http_server(binary, ["--mode", "remote"], env, home)
    async with base.http_transport(url, base.catalog_token(fake_catalog, "analyst")) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 20)
            result, refused = await call(session, "admin_users_list", {})
            record("non-admin: admin_users_list is forbidden", base.error_kind(result) == "forbidden", str(refused)[:300])
            result, refused = await call(session, "admin_user_set_admin", {"name": "analyst", "admin": True})
            record("non-admin: making oneself an admin is forbidden", base.error_kind(result) == "forbidden", str(refused)[:300])
            body = await resource(session, "admin://users")
            record("non-admin: admin://users reads the refusal", (body.get("error") or {}).get("kind") == "forbidden", str(body)[:300])
    async with base.http_transport(url, base.catalog_token(fake_catalog, "admin")) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 20)
            _, analyst = await call(session, "admin_user_get", {"name": "analyst"})
            record("non-admin: the catalog is unchanged (analyst is still no admin)",
                   (analyst.get("user") or {}).get("is_admin") is False, str(analyst)[:300])


def main():
    return base.run_modes("admin-tools", [("admin", run_admin), ("non-admin", run_non_admin)], 90, __doc__)


if __name__ == "__main__":
    sys.exit(main())
