"""`verify_credential` checks a credential file offline with a saved key set, and says why not."""

import json

import pytest
from django.core.management import call_command

from kollegium.recognition import credentials, jws, services
from kollegium.recognition.tests.helpers import group_with_meetings

pytestmark = pytest.mark.django_db


def test_the_command_verifies_offline_and_names_the_reason_for_an_altered_file(
    world, tmp_path, capsys
):
    group, _meetings = group_with_meetings(world)
    token = services.confirmation_issue(actor=world.carol, group=group, person=world.bob).token
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(credentials.jwks_document()))
    good = tmp_path / "good.jwt"
    good.write_text(token)
    call_command("verify_credential", str(good), "--jwks", str(keys))
    assert "VERIFIED" in capsys.readouterr().out
    head, body, sig = token.split(".")
    payload = json.loads(jws.b64url_decode(body))
    payload["credentialSubject"]["name"] = "Mallory"
    forged = f"{head}.{jws.b64url(json.dumps(payload).encode())}.{sig}"
    bad = tmp_path / "bad.jwt"
    bad.write_text(forged)
    with pytest.raises(SystemExit) as failed:
        call_command("verify_credential", str(bad), "--jwks", str(keys))
    assert failed.value.code == 1
    assert "altered" in capsys.readouterr().err
