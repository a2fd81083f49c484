"""The pseudonym rules of recordings (``recording/pseudonyms.py``), one test each, on hand-written exchanges."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from cmpivot_magic.backends.adminservice.recording.pseudonyms import REDACTED, Pseudonyms

DEVICES = {"method": "GET", "path": "v1.0/Device", "body": None, "status": 200, "json": {"value": [
    {"MachineId": 1, "Name": "WKS-0002", "Domain": "CONTOSO", "SiteCode": "CON"},
    {"MachineId": 2, "Name": "WKS-0001", "Domain": "CONTOSO", "SiteCode": "CON"},
    {"MachineId": 3, "Name": "DC01", "Domain": "CONTOSO", "SiteCode": "CON"},
]}}
ROWS = {"method": "GET", "path": "v1.0/Device(2)/AdminService.CMPivotResult(OperationId=7)", "body": None,
        "status": 200, "json": {"value": {"Result": [
            {"Device": "WKS-0001", "UserName": "CONTOSO\\jdoe", "Domain": "contoso.com",
             "CommandLine": "C:\\Users\\jdoe\\AppData\\app.exe --server wks-0002.contoso.com --mail jdoe@contoso.com",
             "LogText": "logon by CONTOSO\\asmith on DC01 (OneDrive - Contoso)"},
            {"Device": "WKS-0001", "UserName": "CONTOSO\\asmith", "Domain": "contoso.com",
             "CommandLine": "C:\\Windows\\explorer.exe", "LogText": ""},
            {"Device": "WKS-0001", "UserName": "NT AUTHORITY\\SYSTEM", "Domain": "contoso.com",
             "CommandLine": "C:\\Windows\\system32\\svchost.exe", "LogText": ""},
        ]}}}
COLLECTIONS = {"method": "GET", "path": "wmi/SMS_Collection?$filter=CollectionType eq 2", "body": None, "status": 200,
               "json": {"value": [
                   {"CollectionID": "SMS00001", "Name": "All Systems", "Comment": "All Systems"},
                   {"CollectionID": "CON00012", "Name": "Contoso London Finance", "Comment": "HQ laptops",
                    "LimitToCollectionID": "SMS00001", "LimitToCollectionName": "All Systems"},
               ]}}


def learn(*exchanges: dict[str, Any], names: tuple[str, ...] = ()) -> Pseudonyms:
    return Pseudonyms.learn([DEVICES, ROWS, COLLECTIONS, *exchanges], "https://cm01.contoso.com/AdminService", names)


def test_names_are_learned_from_the_exchanges_structure() -> None:
    """Device lists, result rows' Device/UserName/Domain columns, collection lists and the
    provider's host name say which strings are names; free text (a LogText) is not guessed at."""
    names = learn()
    for original in ("WKS-0001", "WKS-0002", "DC01", "cm01", "jdoe", "asmith", "CONTOSO", "contoso.com",
                     "Contoso London Finance", "HQ laptops"):
        assert original in names, original
    assert "SYSTEM" not in names and "NT AUTHORITY" not in names and "All Systems" not in names
    assert "logon" not in names and "app.exe" not in names


def test_one_original_gets_one_pseudonym_everywhere_in_any_case() -> None:
    """The same name, in any case, in a body, a path or embedded in a longer string, becomes the
    same pseudonym (in the occurrence's case)."""
    names = learn()
    assert names.pseudonymise("WKS-0001") == "DEVICE-0003"
    assert names.pseudonymise("wks-0001") == "device-0003"
    assert names.pseudonymise("wmi/SMS_R_System?$filter=Name eq 'WKS-0001'") == "wmi/SMS_R_System?$filter=Name eq 'DEVICE-0003'"
    assert names.pseudonymise(ROWS["json"]["value"]["Result"][0]["CommandLine"]) == \
        "C:\\Users\\user0002\\AppData\\app.exe --server device-0004.domain1.example --mail user0002@domain1.example"
    assert names.pseudonymise("logon by CONTOSO\\asmith on DC01 (OneDrive - Contoso)") == \
        "logon by DOMAIN1\\user0001 on DEVICE-0002 (OneDrive - Domain1)"


def test_a_name_matches_only_as_a_whole_token() -> None:
    """``WKS-0001`` is not replaced inside ``WKS-00012`` or ``XWKS-0001`` (another name, or none)."""
    names = learn()
    assert names.pseudonymise("WKS-00012 XWKS-0001 WKS-0001.") == "WKS-00012 XWKS-0001 DEVICE-0003."


def test_pseudonyms_keep_the_shapes_cmpivot_expects() -> None:
    """Devices stay valid NetBIOS names, users plain account names, DNS domains DNS names,
    collection ids keep their number behind a pseudonymous site code."""
    names = learn()
    device = names["WKS-0001"]
    assert re.fullmatch(r"[A-Z0-9-]{1,15}", device)
    assert names["CONTOSO"] == "DOMAIN1" and names["contoso.com"] == "domain1.example" and names["jdoe"] == "user0002"
    assert names.pseudonymise("CON00012 at site CON") == "S0100012 at site S01"
    assert names.pseudonymise("CONTOSO\\jdoe") == "DOMAIN1\\user0002"


def test_pseudonyms_are_numbered_in_the_originals_order() -> None:
    """Sorting by a pseudonymised column keeps the original order (DC01 < WKS-0001 < WKS-0002)."""
    names = learn()
    originals = ["WKS-0002", "DC01", "WKS-0001"]
    assert sorted(names.pseudonymise(n) for n in originals) == [names.pseudonymise(n) for n in sorted(originals)]


def test_windows_own_accounts_and_built_in_collections_stay() -> None:
    names = learn()
    assert names.pseudonymise("NT AUTHORITY\\SYSTEM, BUILTIN\\Administrators, All Systems") == \
        "NT AUTHORITY\\SYSTEM, BUILTIN\\Administrators, All Systems"


def test_credentials_are_redacted_wherever_they_are() -> None:
    """JWTs, ``Bearer`` tokens and the values of secret-named keys never reach a recording."""
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJl"
    names = learn()
    assert names.pseudonymise(f"token {jwt} seen") == f"token {REDACTED} seen"
    assert names.pseudonymise("Authorization: Bearer 0123456789abcdef0123") == f"Authorization: Bearer {REDACTED}"
    assert names.pseudonymise_json({"access_token": "abc", "nested": [{"password": "pw", "n": 1}]}) == \
        {"access_token": REDACTED, "nested": [{"password": REDACTED, "n": 1}]}


def test_names_given_explicitly_get_pseudonyms_too() -> None:
    """A name the exchanges don't reveal as one (here in free text only) can be listed."""
    names = learn(names=("PRJ-NEPTUNE", "bob@fabrikam.com", "Project Neptune", "WKS-0001"))
    assert names["WKS-0001"] == "DEVICE-0003"  # what the exchanges show it to be
    assert names.pseudonymise("PRJ-NEPTUNE bob@fabrikam.com Project Neptune fabrikam.com") == \
        "TERM-0001 user0002@domain2.example TERM-0002 domain2.example"


def test_a_frame_is_pseudonymised_as_its_rows_were() -> None:
    """``pseudonymise_frame`` gives a recorded run's frame as a replay shows it: text cells only."""
    names = learn()
    frame = pd.DataFrame({"Device": ["WKS-0001", None], "n": [1, 2], "UserName": ["CONTOSO\\jdoe", "x"]})
    expected = pd.DataFrame({"Device": ["DEVICE-0003", None], "n": [1, 2], "UserName": ["DOMAIN1\\user0002", "x"]})
    pd.testing.assert_frame_equal(names.pseudonymise_frame(frame), expected)
    assert frame["Device"][0] == "WKS-0001"
