// The protocol's objects and their JSON shapes, key for key as the original sends them.
// Keys marked "ours" are additive; original clients ignore them.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace chalk::protocol {

// New random ids in the original's text form (no braces, lower case).
QString newUuid();
// Accepts any textual RFC 4122 uuid (any version or variant, the nil uuid, with or without
// braces, any case); returns the canonical form, or an empty string.
QString normalizeUuid(QStringView text);
// "2026-11-23T12:00:00.000Z": ISO 8601, UTC, milliseconds.
QString isoTime(const QDateTime &time);
QDateTime parseIsoTime(const QString &text);

// The form in which two names are the same name: NFKC, then case folded ("Ａnn" == "ann").
// Account names are unique by it, and a registered user's name is protected by it.
QString nameKey(const QString &name);
// The form in which a name is searched (list_users): NFKD without its combining marks, then case
// folded, so "jose" finds "José" and "JOSÉ". Looser than nameKey(): for finding, not for owning.
QString searchKey(const QString &name);

// A count a peer sent (a room's sum, an unread count): 0..2^53, the integers a JSON number
// holds exactly; anything else (negative, NaN, not a number) reads as 0.
qint64 countFromJson(const QJsonValue &value);

// {uuid, name, room_uuid}; room_uuid is null when the user is in no room. Ours: registered
// (true for a user with an account; left out otherwise, so original clients see no change).
struct User {
    QString uuid;
    QString name;
    QString roomUuid;
    bool registered = false;

    QJsonObject toJson() const;
    static User fromJson(const QJsonObject &json);
    friend bool operator==(const User &, const User &) = default;
};

// Ours: a user's presence. In presence_changed {users: [{uuid, online, last_seen}]}; in
// users_listed the user's name and registered come with it. last_seen (ISO 8601, UTC, ms) is
// when the user's last device left, sent only while the user is offline (and known).
struct UserPresence {
    User user; // uuid always; name and registered in users_listed only
    bool online = false;
    QDateTime lastSeen;

    QJsonObject toJson(bool withName) const;
    static UserPresence fromJson(const QJsonObject &json);
    friend bool operator==(const UserPresence &, const UserPresence &) = default;
};

// {uuid, name, color, users[], sum}; ours: created.
struct Room {
    QString uuid;
    QString name;
    QString color;
    QList<User> users;
    qint64 sum = 0; // number of messages
    QDateTime created;
    // A direct conversation's two users (uuids, sorted); empty for a public room. Ours, sent
    // as `direct: true, members: [..]`: only those two may see or use the room.
    QStringList members;
    // Ours, for the connection's user only (rooms_listed, room_changed): the others' messages
    // after its read marker. Absent from an original server; never written by toJson (the
    // server splices it in per recipient).
    std::optional<qint64> unread;

    bool isDirect() const { return !members.isEmpty(); }

    QJsonObject toJson() const;
    static Room fromJson(const QJsonObject &json);
};

// {uuid, body, name, user{}, room_uuid, created}; ours: client_id (to its sender only),
// edited_at, deleted, reply_to, reply_to_sender, reply_to_text, reply_to_deleted.
struct Message {
    QString uuid;
    QString body;
    User user;
    QString roomUuid;
    QDateTime created;
    QString clientId;     // set by the sender; empty when none
    qint64 seq = 0;       // storage order within the server, never sent
    QDateTime editedAt;   // when its author last edited it; invalid: never
    bool deleted = false; // a tombstone: deleted by its author, body empty
    // The message of the same room this one replies to, and a quote of it as it is now: its
    // sender's name and the start of its body (Limits::replyQuote characters; empty, with
    // replyToDeleted, once it is deleted).
    QString replyTo;
    QString replyToSender;
    QString replyToText;
    bool replyToDeleted = false;

    QString name() const { return QStringLiteral("message-") + uuid; }
    QJsonObject toJson(bool withClientId = false) const;
    static Message fromJson(const QJsonObject &json);
};

// The start of a body as a reply quotes it: at most maxChars characters, never half a
// surrogate pair, with an ellipsis when cut.
QString quoteOf(const QString &body, int maxChars);

// {uuid, name, points[x,y,...], tool, color}; ours: width, user_uuid (the author).
struct Line {
    QString uuid;
    QList<double> points;
    QString tool; // "pen" or "eraser"
    QString color;
    double width = 0; // 0: the client's default width
    QString userUuid;

    QString name() const { return QStringLiteral("line-") + uuid; }
    QJsonObject toJson() const;
    static Line fromJson(const QJsonObject &json);
};

// {uuid, name, lines[]}. A room's drawing uuid is derived from the room uuid.
struct Drawing {
    QString uuid;
    QList<Line> lines;

    static QString uuidForRoom(const QString &roomUuid);
    QJsonObject toJson() const;
    static Drawing fromJson(const QJsonObject &json);
};

} // namespace chalk::protocol
