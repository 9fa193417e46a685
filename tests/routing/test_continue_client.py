"""Continue URLs: nodes see the query strings they saw when httpx built them."""

from __future__ import annotations

import httpx
import pytest

from routing.call_control.continue_client import with_params

PARAMS = {
    "tindex": "123",
    "tlabel": "456",
    "dst": "sip:agent-3f2a@acme.sip.hotline.localhost;transport=ws",
    "ring": "20",
    "record": "1",
    "reason": "Busy Here +x &y=z/ü",
}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5080/continue",
        "http://127.0.0.1:5080/continue?node=k1",
        "http://h:1/c?tindex=9&x=a%20b&empty=",
        "http://h/continue?call=abc-123@host&n=1",
    ],
)
def test_params_are_merged_and_encoded_as_httpx_did(url: str) -> None:
    assert with_params(url, PARAMS) == str(httpx.URL(url).copy_merge_params(PARAMS))


def test_a_param_already_in_the_url_is_replaced() -> None:
    merged = with_params("http://h/continue?tindex=9&node=k1", {"tindex": "1", "dst": "reject"})
    assert merged == "http://h/continue?tindex=1&node=k1&dst=reject"
