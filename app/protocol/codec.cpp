#include "codec.h"

#include "colors.h"
#include "objects.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <array>
#include <cmath>
#include <tuple>
#include <utility>

namespace chalk::protocol {
namespace {

using enum FieldKind;

QLatin1String jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QLatin1String("null");
    case QJsonValue::Bool:
        return QLatin1String("a boolean");
    case QJsonValue::Double:
        return QLatin1String("a number");
    case QJsonValue::String:
        return QLatin1String("a string");
    case QJsonValue::Array:
        return QLatin1String("an array");
    case QJsonValue::Object:
        return QLatin1String("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QLatin1String("undefined");
}

bool hasControlChars(QStringView s, bool allowNewlines)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (allowNewlines && (u == u'\n' || u == u'\t' || u == u'\r'))
            continue;
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0))
            return true;
    }
    return false;
}

// In a name, characters that show nothing or reorder what follows: with them one name can pass
// for another ("Bob" + U+200B, a right-to-left override). Zero-width (non-)joiners stay: emoji
// sequences and many scripts need them. Bodies may hold any of these.
bool isInvisibleOrBidiControl(char32_t u)
{
    return (u >= 0x202A && u <= 0x202E)                                  // embeddings and overrides
           || (u >= 0x2066 && u <= 0x2069)                               // isolates
           || u == 0x200E || u == 0x200F || u == 0x061C                  // direction marks
           || u == 0x200B || (u >= 0x2060 && u <= 0x2064) || u == 0xFEFF // zero-width
           || u == 0x00AD || u == 0x034F || u == 0x180E                  // soft, joiners
           || u == 0x115F || u == 0x1160 || u == 0x3164 || u == 0xFFA0   // Hangul fillers
           || (u >= 0xFFF0 && u <= 0xFFF8) || (u >= 0xE0000 && u <= 0xE007F); // tags
}

bool hasInvisibleOrBidiControl(QStringView s)
{
    for (char32_t u : s.toUcs4()) {
        if (isInvisibleOrBidiControl(u))
            return true;
    }
    return false;
}

struct FieldCheck {
    std::optional<CallError> error;
    QJsonValue value; // normalised value to store in the payload
};

CallError fieldError(Error e, const char *field, const QString &detail)
{
    return {e, detail, QString::fromLatin1(field), {}, {}};
}

FieldCheck checkText(const QJsonValue &v, const char *field, int maxLen, bool multiLine)
{
    const QString s = v.toString();
    const QString trimmed = s.trimmed();
    if (trimmed.isEmpty())
        return {fieldError(Error::BadData, field,
                           QStringLiteral("%1 must not be empty").arg(QLatin1String(field))),
                {}};
    if (trimmed.size() > maxLen)
        return {fieldError(Error::DataTooLong, field,
                           QStringLiteral("%1 is longer than %2 characters")
                               .arg(QLatin1String(field))
                               .arg(maxLen)),
                {}};
    if (hasControlChars(trimmed, multiLine))
        return {
            fieldError(Error::BadData, field,
                       QStringLiteral("%1 contains control characters").arg(QLatin1String(field))),
            {}};
    if (!multiLine && hasInvisibleOrBidiControl(trimmed))
        return {fieldError(Error::BadData, field,
                           QStringLiteral("%1 contains invisible or text-direction characters")
                               .arg(QLatin1String(field))),
                {}};
    // Names are stored trimmed; a message body keeps its inner layout but not outer blanks.
    return {std::nullopt, trimmed};
}

FieldCheck checkField(const FieldSpec &f, const QJsonValue &v, const Limits &limits)
{
    const auto wrongType = [&](QLatin1String expected) {
        return FieldCheck{fieldError(Error::WrongType, f.name,
                                     QStringLiteral("%1 must be %2, not %3")
                                         .arg(QLatin1String(f.name), expected, jsonTypeName(v))),
                          {}};
    };
    switch (f.kind) {
    case Uuid:
    case RoomRef:
    case MessageRef:
    case LineRef:
    case UserRef: {
        if (!v.isString())
            return wrongType(QLatin1String("a uuid string"));
        const QString uuid = normalizeUuid(v.toString());
        if (uuid.isEmpty()) {
            // Text that is no uuid names no room (message, line): answered as the original
            // answers an unknown room, not as bad data.
            const Error e = f.kind == RoomRef      ? Error::NoSpecifiedRoom
                            : f.kind == MessageRef ? Error::NoSuchMessage
                            : f.kind == LineRef    ? Error::NoSuchLine
                                                   : Error::BadData;
            return {fieldError(e, f.name,
                               QStringLiteral("%1 is not a uuid").arg(QLatin1String(f.name))),
                    {}};
        }
        return {std::nullopt, uuid};
    }
    case UserName:
    case RoomName:
    case Body:
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        return checkText(v, f.name,
                         f.kind == UserName   ? limits.userName
                         : f.kind == RoomName ? limits.roomName
                                              : limits.body,
                         f.kind == Body);
    case Color:
        if (!v.isString())
            return wrongType(QLatin1String("a colour string"));
        if (!isValidColor(v.toString()))
            return {fieldError(Error::NotValidColor, f.name,
                               QStringLiteral("colour must be #rgb, #rrggbb or #rrggbbaa")),
                    {}};
        return {std::nullopt, v.toString().toLower()};
    case Points: {
        if (!v.isArray())
            return wrongType(QLatin1String("an array of numbers"));
        const QJsonArray a = v.toArray();
        if (a.size() > qsizetype(limits.pointsPerLine) * 2)
            return {fieldError(
                        Error::DataTooLong, f.name,
                        QStringLiteral("a line holds at most %1 points").arg(limits.pointsPerLine)),
                    {}};
        if (a.size() % 2 != 0)
            return {fieldError(Error::BadData, f.name,
                               QStringLiteral("points must be x,y pairs (an even count)")),
                    {}};
        for (const QJsonValue &p : a) {
            if (!p.isDouble())
                return {fieldError(
                            Error::WrongType, f.name,
                            QStringLiteral("points must be numbers, not %1").arg(jsonTypeName(p))),
                        {}};
            const double d = p.toDouble();
            if (!std::isfinite(d) || std::abs(d) > limits.coordinateMax)
                return {fieldError(
                            Error::BadData, f.name,
                            QStringLiteral("a point lies outside +-%1").arg(limits.coordinateMax)),
                        {}};
        }
        return {std::nullopt, a};
    }
    case Tool:
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        if (v.toString() != QLatin1String("pen") && v.toString() != QLatin1String("eraser"))
            return {fieldError(Error::BadData, f.name,
                               QStringLiteral("tool must be \"pen\" or \"eraser\"")),
                    {}};
        return {std::nullopt, v};
    case Width: {
        if (!v.isDouble())
            return wrongType(QLatin1String("a number"));
        const double w = v.toDouble();
        if (!(w > 0 && w <= limits.widthMax))
            return {
                fieldError(
                    Error::BadData, f.name,
                    QStringLiteral("width must be above 0 and at most %1").arg(limits.widthMax)),
                {}};
        return {std::nullopt, v};
    }
    case PageLimit:
    case UserPageLimit:
    case RoomPageLimit: {
        if (!v.isDouble())
            return wrongType(QLatin1String("a number"));
        const double n = v.toDouble();
        if (!(n >= 1) || n != std::floor(n))
            return {fieldError(Error::BadData, f.name,
                               QStringLiteral("limit must be a whole number of at least 1")),
                    {}};
        // Larger pages are clamped, not refused: the answer's has_more says there is more.
        const int max = f.kind == PageLimit       ? limits.pageMax
                        : f.kind == UserPageLimit ? limits.userPageMax
                                                  : limits.roomPageMax;
        return {std::nullopt, std::min(n, double(max))};
    }
    case SearchText: {
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        const QString trimmed = v.toString().trimmed();
        if (trimmed.isEmpty())
            return {std::nullopt, trimmed}; // no query: every user
        return checkText(v, f.name, limits.userName, false);
    }
    case Flag:
        if (!v.isBool())
            return wrongType(QLatin1String("true or false"));
        return {std::nullopt, v};
    case Token:
    case Password: {
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        const int max = f.kind == Token ? limits.token : limits.password;
        if (v.toString().size() > max)
            return {fieldError(Error::DataTooLong, f.name,
                               QStringLiteral("%1 is too long").arg(QLatin1String(f.name))),
                    {}};
        return {std::nullopt, v};
    }
    case LoginName: {
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        FieldCheck c = checkText(v, f.name, limits.loginNameMax, false);
        if (!c.error && c.value.toString().size() < limits.loginNameMin)
            return {fieldError(Error::BadData, f.name,
                               QStringLiteral("%1 must be at least %2 characters")
                                   .arg(QLatin1String(f.name))
                                   .arg(limits.loginNameMin)),
                    {}};
        return c;
    }
    case AccountPassword: {
        // Counted in UTF-8 bytes, what Argon2id hashes. The value is never put in an answer.
        if (!v.isString())
            return wrongType(QLatin1String("a string"));
        const qsizetype bytes = v.toString().toUtf8().size();
        if (bytes > limits.passwordMaxBytes)
            return {fieldError(Error::DataTooLong, f.name,
                               QStringLiteral("%1 is longer than %2 bytes")
                                   .arg(QLatin1String(f.name))
                                   .arg(limits.passwordMaxBytes)),
                    {}};
        if (bytes < limits.passwordMinBytes)
            return {fieldError(Error::BadData, f.name,
                               QStringLiteral("%1 must be at least %2 bytes")
                                   .arg(QLatin1String(f.name))
                                   .arg(limits.passwordMinBytes)),
                    {}};
        return {std::nullopt, v};
    }
    }
    return {fieldError(Error::BadData, f.name, QStringLiteral("unchecked field")), {}};
}

void assign(QString &to, const QJsonValue &v)
{
    to = v.toString();
}
void assign(int &to, const QJsonValue &v)
{
    to = v.toInt();
}
void assign(double &to, const QJsonValue &v)
{
    to = v.toDouble();
}
void assign(bool &to, const QJsonValue &v)
{
    to = v.toBool();
}
void assign(QList<double> &to, const QJsonValue &v)
{
    const QJsonArray a = v.toArray();
    to.reserve(a.size());
    for (const QJsonValue &p : a)
        to.append(p.toDouble());
}
template <typename T> void assign(std::optional<T> &to, const QJsonValue &v)
{
    assign(to.emplace(), v);
}

// One field of one call: checks it, normalises it into `normalised` and fills the member.
template <typename Args, typename T>
bool parseField(const Field<Args, T> &f, Call call, const QJsonObject &payload,
                QJsonObject &normalised, Args &args, const Limits &limits, const QString &clientId,
                std::optional<CallError> &error)
{
    const QJsonValue v = payload.value(QLatin1String(f.name));
    if (v.isUndefined() || (v.isNull() && !f.required)) {
        if (f.required) {
            error = CallError{Error::NotSufficientData,
                              QStringLiteral("%1 needs %2").arg(name(call), QLatin1String(f.name)),
                              QString::fromLatin1(f.name), name(call), clientId};
            return false;
        }
        normalised.remove(QLatin1String(f.name));
        return true;
    }
    FieldCheck check = checkField(FieldSpec{f.name, f.kind, f.required}, v, limits);
    if (check.error) {
        check.error->callName = name(call);
        check.error->clientId = clientId;
        error = std::move(check.error);
        return false;
    }
    normalised.insert(QLatin1String(f.name), check.value);
    assign(args.*(f.member), check.value);
    return true;
}

template <Call C>
Decoded parseRequest(const QJsonObject &payload, const Limits &limits, const QString &clientId)
{
    Request<C> request{{}, clientId};
    QJsonObject normalised = payload;
    std::optional<CallError> error;
    const bool ok = std::apply(
        [&](const auto &...f) {
            return (parseField(f, C, payload, normalised, request.args, limits, clientId, error) &&
                    ...);
        },
        ArgsOf<C>::fields());
    if (!ok)
        return *error;
    return CallRequest{C, std::move(normalised), clientId,
                       AnyRequest(std::in_place_index<std::size_t(C)>, std::move(request))};
}

template <Call C> CallSpec describeCall()
{
    CallSpec spec{C, {}};
    std::apply(
        [&](const auto &...f) {
            (spec.fields.append({f.name, f.kind, f.required, f.origin}), ...);
        },
        ArgsOf<C>::fields());
    return spec;
}

using Parser = Decoded (*)(const QJsonObject &, const Limits &, const QString &);
template <std::size_t... I>
constexpr std::array<Parser, sizeof...(I)> parsers(std::index_sequence<I...>)
{
    return {&parseRequest<Call(I)>...};
}
constexpr auto kParsers = parsers(std::make_index_sequence<kCallCount>{});

using Describer = CallSpec (*)();
template <std::size_t... I>
constexpr std::array<Describer, sizeof...(I)> describers(std::index_sequence<I...>)
{
    return {&describeCall<Call(I)>...};
}
constexpr auto kSpecs = describers(std::make_index_sequence<kCallCount>{});

} // namespace

QByteArray encode(Type type, QLatin1String message, const QJsonObject &fields)
{
    QJsonObject payload = fields;
    payload.insert(QLatin1String("message"), message);
    const QJsonObject root{{QStringLiteral("type"), typeName(type)},
                           {QStringLiteral("payload"), payload}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray encodeCall(Call call, const QJsonObject &fields)
{
    return encode(Type::Call, name(call), fields);
}

QByteArray encodeResult(Result result, const QJsonObject &fields)
{
    return encode(Type::Result, name(result), fields);
}

std::optional<Envelope> decodeEnvelope(QByteArrayView utf8)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject root = doc.object();
    const auto type = typeFromName(root.value(QLatin1String("type")).toString());
    const QJsonValue payload = root.value(QLatin1String("payload"));
    if (!type || !payload.isObject())
        return std::nullopt;
    const QJsonValue message = payload.toObject().value(QLatin1String("message"));
    if (!message.isString())
        return std::nullopt;
    return Envelope{*type, message.toString(), payload.toObject()};
}

QJsonObject CallError::toFields() const
{
    QJsonObject o{{QStringLiteral("detail"), detail}};
    if (!field.isEmpty())
        o.insert(QStringLiteral("field"), field);
    if (!callName.isEmpty())
        o.insert(QStringLiteral("call"), callName);
    if (!clientId.isEmpty())
        o.insert(QStringLiteral("client_id"), clientId);
    return o;
}

QByteArray CallError::encode() const
{
    return protocol::encode(Type::Error, name(error), toFields());
}

Decoded decodeCall(QByteArrayView utf8, const Limits &limits)
{
    if (utf8.size() > limits.statementBytes)
        return CallError{
            Error::DataTooLong,
            QStringLiteral("a statement may be at most %1 bytes").arg(limits.statementBytes),
            {},
            {},
            {}};
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError)
        return CallError{Error::BadData,
                         QStringLiteral("malformed JSON at offset %1: %2")
                             .arg(err.offset)
                             .arg(err.errorString()),
                         {},
                         {},
                         {}};
    if (!doc.isObject())
        return CallError{
            Error::BadData, QStringLiteral("a statement must be a JSON object"), {}, {}, {}};
    return validateCall(doc.object(), limits);
}

Decoded validateCall(const QJsonObject &root, const Limits &limits)
{
    const QJsonValue type = root.value(QLatin1String("type"));
    if (!type.isUndefined() && type != QJsonValue(QLatin1String("call")))
        return CallError{Error::BadData,
                         QStringLiteral("type must be \"call\""),
                         QStringLiteral("type"),
                         {},
                         {}};
    const QJsonValue payloadValue = root.value(QLatin1String("payload"));
    if (payloadValue.isUndefined())
        return CallError{Error::NotSufficientData,
                         QStringLiteral("payload is missing"),
                         QStringLiteral("payload"),
                         {},
                         {}};
    if (!payloadValue.isObject())
        return CallError{Error::WrongType,
                         QStringLiteral("payload must be an object"),
                         QStringLiteral("payload"),
                         {},
                         {}};
    const QJsonObject payload = payloadValue.toObject();

    QString clientId;
    const QJsonValue cid = payload.value(QLatin1String("client_id"));
    if (!cid.isUndefined()) {
        if (!cid.isString())
            return CallError{Error::WrongType,
                             QStringLiteral("client_id must be a string"),
                             QStringLiteral("client_id"),
                             {},
                             {}};
        clientId = cid.toString();
        if (clientId.isEmpty() || clientId.size() > limits.clientId ||
            hasControlChars(clientId, false))
            return CallError{Error::BadData,
                             QStringLiteral("client_id must be 1 to %1 printable characters")
                                 .arg(limits.clientId),
                             QStringLiteral("client_id"),
                             {},
                             {}};
    }

    const QJsonValue message = payload.value(QLatin1String("message"));
    if (message.isUndefined())
        return CallError{Error::NotSufficientData,
                         QStringLiteral("payload.message is missing"),
                         QStringLiteral("message"),
                         {},
                         clientId};
    if (!message.isString())
        return CallError{Error::WrongType,
                         QStringLiteral("payload.message must be a string"),
                         QStringLiteral("message"),
                         {},
                         clientId};
    const auto call = callFromName(message.toString());
    if (!call)
        return CallError{Error::UnknownCall,
                         QStringLiteral("unknown call \"%1\"").arg(message.toString().left(64)),
                         QStringLiteral("message"), message.toString().left(64), clientId};

    return kParsers[std::size_t(*call)](payload, limits, clientId);
}

CallSpec specFor(Call call)
{
    return kSpecs[std::size_t(call)]();
}

} // namespace chalk::protocol
