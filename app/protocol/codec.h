// Envelope encode/decode and call validation.
// Wire form: {"type": "call"|"result"|"error", "payload": {"message": NAME, ...fields}}.
#pragma once

#include "limits.h"
#include "requests.h"
#include "statements.h"

#include <QByteArray>
#include <QJsonObject>
#include <variant>

namespace chalk::protocol {

struct Envelope {
    Type type = Type::Error;
    QString message; // the statement name
    QJsonObject payload;
};

// Compact UTF-8 JSON. `fields` are merged into the payload beside "message".
QByteArray encode(Type type, QLatin1String message, const QJsonObject &fields = {});
QByteArray encodeCall(Call call, const QJsonObject &fields = {});
QByteArray encodeResult(Result result, const QJsonObject &fields = {});

// Any statement; std::nullopt for anything that is not a well-formed envelope.
std::optional<Envelope> decodeEnvelope(QByteArrayView utf8);

// A validated call: every field its Args declare has the right JSON type and size; uuids are
// normalised. `typed` holds the same as Request<call> (handlers read that); `payload` is the
// normalised JSON (for logs and for forwarding).
struct CallRequest {
    Call call;
    QJsonObject payload;
    QString clientId; // optional correlation id, echoed in the direct answer
    AnyRequest typed;
};

struct CallError {
    Error error;
    QString detail;   // human-readable, English
    QString field;    // the offending field, if one
    QString callName; // the call it answers, if known
    QString clientId;

    QJsonObject toFields() const;
    QByteArray encode() const;
};

using Decoded = std::variant<CallRequest, CallError>;

Decoded decodeCall(QByteArrayView utf8, const Limits &limits);
Decoded validateCall(const QJsonObject &root, const Limits &limits);

// A call's fields as data, from its Args::fields(): for docs and tests.
struct FieldSpec {
    const char *name;
    FieldKind kind;
    bool required;
    Origin origin = Origin::Original;
};

struct CallSpec {
    Call call;
    QList<FieldSpec> fields;
};

CallSpec specFor(Call call);

} // namespace chalk::protocol
