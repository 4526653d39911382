"""Webhook test vectors computed independently of the TypeScript implementation.

Signs payloads exactly as Amani's documentation describes (REFERENCE.md 5.3): the payload
serialized by json.dumps with default settings, UTF-8 encoded, HMAC-SHA256 keyed by the secret's
UTF-8 bytes, standard Base64. Standard library only.

  python3 vectors.py            prints the fixed vectors below as JSON
  python3 vectors.py --dumps    reads {"secret": s, "texts": [json text, ...]} on stdin and prints,
                                for each text, json.dumps(json.loads(text)) and its signature
"""
import base64
import hashlib
import hmac
import json
import sys

SECRET = "whsec_t\u00ebst_\u015eecret"  # non-ASCII on purpose: the key is the secret's UTF-8 bytes
OLD_SECRET = "whsec_old_secret_before_rotation"

PROFILE = {
    "id": "6aff82cb-e91a-4df4-b9a3-d69de0be1a2e",
    "id_card_number": "12345678901",
    "name": "Ay\u015fe Y\u0131lmaz",
    "email": "ayse.yilmaz@example.com",
    "status": "Approved",
    "verified_level": 2,
    "created_at": 1764115200,
    "updated_at": 1764118800,
}

# (name, payload, secret, caveat). A caveat names why JavaScript's JSON.parse loses what json.dumps
# needs, so re-serializing the parsed body cannot reproduce the signed bytes (the raw body still
# verifies).
VECTORS = [
    ("turkish", {"event": "profile_status_change", "timestamp": 1764118800, "profile": PROFILE, "status": "APPROVED"}, SECRET, None),
    ("turkish-letters", {"event": "profile_update", "profile": dict(PROFILE, name="\u00c7a\u011fr\u0131 \u00d6zt\u00fcrk \u0130stanbul \u015e\u0131\u011f\u0131r")}, SECRET, None),
    ("arabic", {"event": "profile_create", "profile": dict(PROFILE, name="\u0645\u062d\u0645\u062f \u0639\u0628\u062f \u0627\u0644\u0644\u0647", address={"city": "\u062f\u0628\u064a"})}, SECRET, None),
    ("emoji", {"event": "document_upload", "profile": dict(PROFILE, name="Zo\u00eb \U0001F600\U0001F389\U0001F1F9\U0001F1F7"), "document": {"id": "d1", "type": "TUR_ID_1", "pages": [], "meta": {}}}, SECRET, None),
    ("nested-empty-bool-null", {"event": "document_status_change", "profile": PROFILE, "document": {"id": "d2", "status": "REJECTED", "reject_reason": None, "archived": False, "cropped": True, "rules": [{"id": 1, "document_classes": [], "nested": {"deeper": {"deepest": [None, True, False, [], {}]}}}]}, "status": "REJECTED"}, SECRET, None),
    ("escapes", {"event": "profile_update", "profile": dict(PROFILE, name="line\nbreak\ttab \"quoted\" back\\slash / slash \x7f del \x00 nul \x1f \x08\x0c\r \u2028\u2029 \u00a0\ufeff\uffff")}, SECRET, None),
    ("lone-surrogates", {"event": "profile_update", "profile": dict(PROFILE, name="lone \ud800 high, lone \udfff low, swapped \udc00\ud800")}, SECRET, None),
    ("key-order", {"zeta": 1, "event": "zip_file_create", "alpha": {"b": 2, "a": 1}, "profile": PROFILE, "url": None}, SECRET, None),
    ("floats", {"event": "video_call_status_change", "profile": PROFILE, "video_call_status": "COMPLETE", "scores": [1.5, 0.1, -2.25, 1e-07, 1.2345678901234567e-05, 0.0001, 1e+22, 123456789012345.6, 5e-324, 1.7976931348623157e+308]}, SECRET, None),
    ("rotation-old-secret", {"event": "profile_level_update", "profile": PROFILE, "verified_level": 3}, OLD_SECRET, None),
    ("caveat-whole-float", {"event": "profile_level_update", "profile": PROFILE, "verified_level": 3, "score": 1.0, "big": 1.5e+16}, SECRET, "a whole-valued float (1.0, 1.5e+16) parses to an integral number"),
    ("caveat-integer-keys", {"event": "document_update", "profile": PROFILE, "document": {"id": "d3", "pages": {"2": "back", "1": "front"}}}, SECRET, "JavaScript lists integer-like keys first, in ascending order"),
    ("caveat-big-int", {"event": "profile_update", "profile": dict(PROFILE, verified_level=12345678901234567891)}, SECRET, "an integer beyond 2^53 loses precision"),
    ("unknown-event", {"event": "profile_delete", "profile": PROFILE}, SECRET, None),
    ("not-an-object", [{"event": "profile_update"}], SECRET, None),
]


def sign(body, secret):
    digest = hmac.new(secret.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def main():
    if sys.argv[1:] == ["--dumps"]:
        request = json.load(sys.stdin)
        out = []
        for text in request["texts"]:
            body = json.dumps(json.loads(text))
            out.append({"body": body, "signature": sign(body, request["secret"])})
        json.dump(out, sys.stdout)
        return
    out = {"secret": SECRET, "oldSecret": OLD_SECRET, "vectors": []}
    for name, payload, secret, caveat in VECTORS:
        body = json.dumps(payload)
        out["vectors"].append({"name": name, "body": body, "signature": sign(body, secret), "caveat": caveat})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
