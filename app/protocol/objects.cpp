#include "objects.h"

#include "limits.h"

#include <QJsonArray>
#include <QUuid>
#include <algorithm>
#include <cmath>

namespace chalk::protocol {

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString normalizeUuid(QStringView text)
{
    const QUuid uuid = QUuid::fromString(text);
    if (!uuid.isNull())
        return uuid.toString(QUuid::WithoutBraces);
    // QUuid answers null both for text it cannot parse and for the nil uuid, which is a valid
    // RFC 4122 uuid (the original accepted it): tell them apart.
    static const QString nil = QUuid().toString(QUuid::WithoutBraces);
    const QStringView bare =
        text.size() == 38 && text.front() == u'{' && text.back() == u'}' ? text.mid(1, 36) : text;
    return bare == nil ? nil : QString();
}

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseIsoTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    // Refuse what cannot be written back: "9999-12-31T23:59-14:00" is year 10000 in UTC, which
    // isoTime() renders as "" (found by fuzz_decode_envelope).
    if (t.isValid() && isoTime(t).isEmpty())
        return {};
    return t;
}

QString nameKey(const QString &name)
{
    return name.normalized(QString::NormalizationForm_KC).toCaseFolded();
}

QString searchKey(const QString &name)
{
    const QString decomposed = name.normalized(QString::NormalizationForm_KD);
    QString bare;
    bare.reserve(decomposed.size());
    for (QChar c : decomposed) {
        const QChar::Category cat = c.category();
        if (cat != QChar::Mark_NonSpacing && cat != QChar::Mark_SpacingCombining &&
            cat != QChar::Mark_Enclosing)
            bare.append(c);
    }
    return bare.toCaseFolded();
}

QJsonObject UserPresence::toJson(bool withName) const
{
    QJsonObject o{{QStringLiteral("uuid"), user.uuid}, {QStringLiteral("online"), online}};
    if (withName) {
        o.insert(QStringLiteral("name"), user.name);
        o.insert(QStringLiteral("registered"), user.registered);
    }
    if (!online && lastSeen.isValid())
        o.insert(QStringLiteral("last_seen"), isoTime(lastSeen));
    return o;
}

UserPresence UserPresence::fromJson(const QJsonObject &json)
{
    UserPresence p;
    p.user.uuid = json.value(QLatin1String("uuid")).toString();
    p.user.name = json.value(QLatin1String("name")).toString();
    p.user.registered = json.value(QLatin1String("registered")).toBool();
    p.online = json.value(QLatin1String("online")).toBool();
    const QJsonValue seen = json.value(QLatin1String("last_seen"));
    if (seen.isString())
        p.lastSeen = parseIsoTime(seen.toString());
    return p;
}

qint64 countFromJson(const QJsonValue &value)
{
    // Converting a double outside qint64 to an integer is UB (found by fuzz_decode_envelope).
    const double n = value.toDouble();
    return std::isfinite(n) ? qint64(std::clamp(n, 0.0, 9007199254740992.0)) : 0;
}

QJsonObject User::toJson() const
{
    QJsonObject o{
        {QStringLiteral("uuid"), uuid},
        {QStringLiteral("name"), name},
        {QStringLiteral("room_uuid"), roomUuid.isEmpty() ? QJsonValue() : QJsonValue(roomUuid)}};
    if (registered)
        o.insert(QStringLiteral("registered"), true);
    return o;
}

User User::fromJson(const QJsonObject &json)
{
    return {json.value(QLatin1String("uuid")).toString(),
            json.value(QLatin1String("name")).toString(),
            json.value(QLatin1String("room_uuid")).toString(),
            json.value(QLatin1String("registered")).toBool()};
}

QJsonObject Room::toJson() const
{
    QJsonArray members;
    for (const User &u : users)
        members.append(u.toJson());
    QJsonObject o{{QStringLiteral("uuid"), uuid},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("color"), color},
                  {QStringLiteral("users"), members},
                  {QStringLiteral("sum"), double(sum)}};
    if (created.isValid())
        o.insert(QStringLiteral("created"), isoTime(created));
    if (isDirect()) {
        o.insert(QStringLiteral("direct"), true);
        o.insert(QStringLiteral("members"), QJsonArray::fromStringList(this->members));
    }
    return o;
}

Room Room::fromJson(const QJsonObject &json)
{
    Room r;
    r.uuid = json.value(QLatin1String("uuid")).toString();
    r.name = json.value(QLatin1String("name")).toString();
    r.color = json.value(QLatin1String("color")).toString();
    for (const QJsonValue &v : json.value(QLatin1String("users")).toArray())
        r.users.append(User::fromJson(v.toObject()));
    r.sum = countFromJson(json.value(QLatin1String("sum")));
    if (const QJsonValue unread = json.value(QLatin1String("unread")); unread.isDouble())
        r.unread = countFromJson(unread);
    r.created = parseIsoTime(json.value(QLatin1String("created")).toString());
    // A direct conversation has two members; a peer sending more gets the first two read.
    for (const QJsonValue &v : json.value(QLatin1String("members")).toArray()) {
        if (v.isString() && r.members.size() < 2)
            r.members.append(v.toString());
    }
    return r;
}

QJsonObject Message::toJson(bool withClientId) const
{
    QJsonObject o{
        {QStringLiteral("uuid"), uuid},          {QStringLiteral("body"), body},
        {QStringLiteral("name"), name()},        {QStringLiteral("user"), user.toJson()},
        {QStringLiteral("room_uuid"), roomUuid}, {QStringLiteral("created"), isoTime(created)}};
    if (withClientId && !clientId.isEmpty())
        o.insert(QStringLiteral("client_id"), clientId);
    if (editedAt.isValid())
        o.insert(QStringLiteral("edited_at"), isoTime(editedAt));
    if (deleted)
        o.insert(QStringLiteral("deleted"), true);
    if (!replyTo.isEmpty()) {
        o.insert(QStringLiteral("reply_to"), replyTo);
        o.insert(QStringLiteral("reply_to_sender"), replyToSender);
        o.insert(QStringLiteral("reply_to_text"), replyToText);
        if (replyToDeleted)
            o.insert(QStringLiteral("reply_to_deleted"), true);
    }
    return o;
}

Message Message::fromJson(const QJsonObject &json)
{
    Message m;
    m.uuid = json.value(QLatin1String("uuid")).toString();
    m.body = json.value(QLatin1String("body")).toString();
    m.user = User::fromJson(json.value(QLatin1String("user")).toObject());
    m.roomUuid = json.value(QLatin1String("room_uuid")).toString();
    m.created = parseIsoTime(json.value(QLatin1String("created")).toString());
    m.clientId = json.value(QLatin1String("client_id")).toString();
    m.editedAt = parseIsoTime(json.value(QLatin1String("edited_at")).toString());
    m.deleted = json.value(QLatin1String("deleted")).toBool();
    if (m.deleted)
        m.body.clear();
    m.replyTo = json.value(QLatin1String("reply_to")).toString();
    if (!m.replyTo.isEmpty()) {
        m.replyToSender = json.value(QLatin1String("reply_to_sender")).toString();
        // A quote is short by rule; a peer's longer one is cut, not trusted.
        m.replyToText =
            quoteOf(json.value(QLatin1String("reply_to_text")).toString(), Limits{}.replyQuote);
        m.replyToDeleted = json.value(QLatin1String("reply_to_deleted")).toBool();
    }
    return m;
}

QString quoteOf(const QString &body, int maxChars)
{
    if (body.size() <= maxChars)
        return body;
    qsizetype cut = std::max(0, maxChars - 1);
    if (cut > 0 && body.at(cut - 1).isHighSurrogate())
        --cut;
    return body.left(cut) + QChar(0x2026);
}

QJsonObject Line::toJson() const
{
    QJsonArray pts;
    for (double p : points)
        pts.append(p);
    QJsonObject o{{QStringLiteral("uuid"), uuid},
                  {QStringLiteral("name"), name()},
                  {QStringLiteral("points"), pts},
                  {QStringLiteral("tool"), tool},
                  {QStringLiteral("color"), color}};
    if (width > 0)
        o.insert(QStringLiteral("width"), width);
    if (!userUuid.isEmpty())
        o.insert(QStringLiteral("user_uuid"), userUuid);
    return o;
}

Line Line::fromJson(const QJsonObject &json)
{
    Line l;
    l.uuid = json.value(QLatin1String("uuid")).toString();
    const QJsonArray pts = json.value(QLatin1String("points")).toArray();
    l.points.reserve(pts.size());
    for (const QJsonValue &v : pts)
        l.points.append(v.toDouble());
    l.tool = json.value(QLatin1String("tool")).toString();
    l.color = json.value(QLatin1String("color")).toString();
    l.width = json.value(QLatin1String("width")).toDouble();
    l.userUuid = json.value(QLatin1String("user_uuid")).toString();
    return l;
}

QString Drawing::uuidForRoom(const QString &roomUuid)
{
    // Name-based (v5) so every server derives the same drawing id without storing it.
    static const QUuid ns = QUuid::fromString(u"6f1c1c36-5a38-4d7f-9a43-0d1f2c3b4a5e");
    return QUuid::createUuidV5(ns, roomUuid).toString(QUuid::WithoutBraces);
}

QJsonObject Drawing::toJson() const
{
    QJsonArray arr;
    for (const Line &l : lines)
        arr.append(l.toJson());
    return {{QStringLiteral("uuid"), uuid},
            {QStringLiteral("name"), QStringLiteral("drawing-") + uuid},
            {QStringLiteral("lines"), arr}};
}

Drawing Drawing::fromJson(const QJsonObject &json)
{
    Drawing d;
    d.uuid = json.value(QLatin1String("uuid")).toString();
    for (const QJsonValue &v : json.value(QLatin1String("lines")).toArray())
        d.lines.append(Line::fromJson(v.toObject()));
    return d;
}

} // namespace chalk::protocol
