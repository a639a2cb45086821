#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into corpus/ (committed; rerun after protocol changes).

One file per call and per result (shapes from docs/PROTOCOL.md), a few errors, and hostile
inputs: deep nesting, huge numbers, invalid UTF-8, lone surrogates, control characters, markup.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
U1 = "0b7a1c2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b"
U2 = "5d1e2f3a-4b5c-4d6e-9f70-8192a3b4c5d6"
T = "2026-11-23T12:00:00.000Z"


def env(kind, message, **fields):
    return {"type": kind, "payload": {"message": message, **fields}}


user = {"uuid": U1, "name": "user-" + U1, "room_uuid": U2}
room = {"uuid": U2, "name": "room-" + U2, "color": "#5da247", "users": [user], "sum": 3, "created": T}
message = {"uuid": U1, "body": "hello", "name": "message-" + U1, "user": user, "room_uuid": U2,
           "created": T, "client_id": "c-1"}
line = {"uuid": U1, "name": "line-" + U1, "points": [1, 2, 30.5, 40.25], "tool": "pen",
        "color": "#000000cc", "width": 3, "user_uuid": U1}
drawing = {"uuid": U2, "name": "drawing-" + U2, "lines": [line]}

calls = {
    "create_room": {"name": "lobby", "color": "#fff"},
    "enter_room": {"uuid": U2},
    "leave_room": {},
    "delete_room": {"uuid": U2},
    "list_rooms": {},
    "change_color": {"uuid": U2, "color": "#cf2e24"},
    "change_name": {"uuid": U2, "name": "new name"},
    "change_user_name": {"name": "alice"},
    "create_message": {"body": "hello\nworld", "client_id": "7f0c-1"},
    "list_messages": {"before": U1, "limit": 100},
    "change_draw_line": {"uuid": U1, "points": [0, 0, 10, 10, 20.5, 30], "color": "#000000cc",
                         "tool": "eraser", "width": 12, "append": True},
    "get_drawing": {},
    "reset_drawing": {},
    "typing": {},
    "remove_draw_line": {"uuid": U1},
    "resume": {"token": "q" * 43},
    "authenticate": {"password": "correct horse battery staple"},
    "register": {"name": "Ａｎｎ", "password": "correct horse battery staple"},
    "login": {"name": "ann", "password": "correct horse battery staple"},
    "logout": {},
    "change_password": {"old": "correct horse battery staple", "new": "pässwörd ünïcode"},
    "mark_read": {"room_uuid": U1, "message_uuid": U1},
}
results = {
    "user_created": {"object": user, "token": "q" * 43},
    "rooms_listed": {"list": [room, room]},
    "room_created": {"object": room},
    "room_entered": {"object": room},
    "room_left": {"object": room},
    "room_deleted": {"object": room},
    "room_changed": {"object": room},
    "user_changed": {"object": user},
    "message_created": {"object": message},
    "messages_listed": {"list": [message], "has_more": True, "before": U1},
    "drawing_got": {"object": drawing},
    "draw_line_changed": {"object": line},
    "user_typing": {"object": user},
    "draw_line_removed": {"uuid": U1, "object": line},
    "resumed": {"object": user},
    "authenticated": {},
    "registered": {"object": {**user, "registered": True}, "token": "q" * 43},
    "logged_in": {"object": {**user, "registered": True}, "token": "q" * 43},
    "logged_out": {},
    "password_changed": {},
    "unread_changed": {"room_uuid": U1, "unread": 1e308},
}
errors = {
    "not_valid_color": {"detail": "colour must be #rgb, #rrggbb or #rrggbbaa", "field": "color",
                        "call": "change_color"},
    "unknown_call": {"detail": "unknown call \"fly\"", "field": "message", "call": "fly"},
    "rate_limited": {"detail": "slow down", "client_id": "c-9"},
    "bad_login": {"detail": "wrong name or password", "call": "login", "client_id": "c-10"},
}


def dump(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


files = {}
for name, fields in calls.items():
    files["call_" + name] = dump(env("call", name, **fields))
for name, fields in results.items():
    files["result_" + name] = dump(env("result", name, **fields))
for name, fields in errors.items():
    files["error_" + name] = dump(env("error", name, **fields))

# The original client omits nothing but some clients omit "type".
files["call_no_type"] = b'{"payload":{"message":"list_rooms"}}'

nasty = {
    "deep_array": b'{"type":"call","payload":{"message":"typing","x":' + b"[" * 5000 + b"]" * 5000 + b"}}",
    "deep_object": b'{"type":"result","payload":{"message":"room_changed","object":' + b'{"a":' * 2000 + b"1" + b"}" * 2000 + b"}}",
    "deep_unclosed": b'{"type":"call","payload":{"message":"typing","x":' + b"[{" * 3000,
    "huge_numbers": b'{"type":"result","payload":{"message":"room_changed","object":{"uuid":"' + U2.encode()
    + b'","sum":1e308,"users":[],"created":"9999-12-31T23:59:59.999-14:00"}}}',
    "huge_sum_negative": b'{"type":"result","payload":{"message":"rooms_listed","list":[{"sum":-1e19},{"sum":9223372036854775807},{"sum":1e999}]}}',
    "huge_points": b'{"type":"call","payload":{"message":"change_draw_line","uuid":"' + U1.encode()
    + b'","points":[1e308,-1e308,1e-320,-0,100000,-100000.0000001],"color":"#fff","tool":"pen","width":1e-300}}',
    "huge_limit": b'{"type":"call","payload":{"message":"list_messages","limit":1e300}}',
    "long_digits": b'{"type":"call","payload":{"message":"list_messages","limit":' + b"9" * 400 + b"}}",
    "invalid_utf8": b'{"type":"call","payload":{"message":"create_message","body":"\xff\xfe \xc0\xaf \xe2\x82 \xed\xa0\x80"}}',
    "invalid_utf8_name": b'{"type":"call","payload":{"message":"change_user_name","name":"a\x80b"}}',
    "lone_surrogate": b'{"type":"call","payload":{"message":"create_message","body":"x\\ud800y"}}',
    "lone_low_surrogate": b'{"type":"call","payload":{"message":"change_user_name","name":"\\udc00"}}',
    "surrogate_pair": b'{"type":"call","payload":{"message":"change_name","uuid":"' + U2.encode()
    + b'","name":"\\ud83d\\ude00 \xf0\x9f\x98\x80"}}',
    "control_chars": b'{"type":"call","payload":{"message":"create_message","body":"a\\u0000b\\u001b[31mred\\u007f\\u0085\\u2028"}}',
    "raw_control": b'{"type":"call","payload":{"message":"create_message","body":"a\x01b\tc"}}',
    "nul_in_name": b'{"type":"call","payload":{"message":"create_room\\u0000","name":"x"}}',
    "markup": b'{"type":"call","payload":{"message":"create_message","body":"<b>bold</b><img src=x onerror=alert(1)><a href=\\"javascript:x\\">y</a>&amp;"}}',
    "markup_result": b'{"type":"result","payload":{"message":"message_created","object":{"body":"<script>alert(1)</script>","user":{"name":"<i>eve</i>"},"created":"<b>"}}}',
    "uuid_braces": b'{"type":"call","payload":{"message":"enter_room","uuid":"{0B7A1C2E-3F4D-4E5F-8A9B-0C1D2E3F4A5B}"}}',
    "duplicate_keys": b'{"type":"call","type":"result","payload":{"message":"typing","message":"list_rooms"}}',
    "wrong_types": b'{"type":"call","payload":{"message":"change_draw_line","uuid":7,"points":{},"color":null,"tool":[],"width":"3"}}',
    "client_id_long": b'{"type":"call","payload":{"message":"typing","client_id":"' + b"c" * 65 + b'"}}',
    "empty": b"",
    "not_object": b"[1,2,3]",
    "bom": b'\xef\xbb\xbf{"type":"call","payload":{"message":"list_rooms"}}',
    "trailing_garbage": b'{"type":"call","payload":{"message":"list_rooms"}}}garbage',
}
files.update({"nasty_" + k: v for k, v in nasty.items()})

os.makedirs(OUT, exist_ok=True)
for name, data in files.items():
    with open(os.path.join(OUT, name + ".json"), "wb") as f:
        f.write(data)
print(f"{len(files)} seeds in {OUT}")
