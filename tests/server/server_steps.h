// Short steps the server tests share: connect and enter a room, create a room, enter it, say
// something, and name an answer so a test compares it (a time-out or an error fails alike).
#pragma once

#include "test_client.h"

#include <QJsonArray>
#include <QTest>

namespace chalk::test {

// The new room's uuid (from the creator's room_created), or empty.
inline QString createRoom(TestClient &c, const QJsonObject &fields = {})
{
    const auto s = c.request(QStringLiteral("create_room"), fields);
    return s && s->name == QLatin1String("room_created")
               ? s->object().value(QLatin1String("uuid")).toString()
               : QString();
}

// Enters and waits for the last of the three answers (drawing_got).
inline bool enterRoom(TestClient &c, const QString &roomUuid)
{
    const int before = c.count(QStringLiteral("drawing_got"));
    c.call(QStringLiteral("enter_room"), {{QStringLiteral("uuid"), roomUuid}});
    return c.waitForCount(QStringLiteral("drawing_got"), before + 1);
}

// Connects, waits for the welcome and enters `room`, creating it first when empty (the
// preamble of most server tests). The room's uuid, or empty when a step failed.
inline QString openAndEnter(TestClient &c, const QUrl &url, QString room = {})
{
    if (!c.openAndWelcome(url))
        return {};
    if (room.isEmpty())
        room = createRoom(c);
    return !room.isEmpty() && enterRoom(c, room) ? room : QString();
}

// Two clients connect, `a` creates a room and both enter it (a first): the preamble of the
// tests about what members hear. The room's uuid, or empty when a step failed.
inline QString openBothAndEnter(TestClient &a, TestClient &b, const QUrl &url)
{
    if (!a.openAndWelcome(url) || !b.openAndWelcome(url))
        return {};
    const QString room = createRoom(a);
    return !room.isEmpty() && enterRoom(a, room) && enterRoom(b, room) ? room : QString();
}

// The name of an answer, "<no answer>" on a time-out: QCOMPARE(answerName(say(c, "x")),
// "message_created") fails on an error answer and on silence alike.
inline QString answerName(const std::optional<Statement> &s)
{
    return s ? s->name : QStringLiteral("<no answer>");
}

// Sends a message and returns the sender's acknowledgement (or the error).
inline std::optional<Statement> say(TestClient &c, const QString &body)
{
    return c.request(QStringLiteral("create_message"), {{QStringLiteral("body"), body}});
}

// Waits until the last room_changed `c` got shows `members` users.
inline bool waitForMembers(TestClient &c, qsizetype members, int timeoutMs = 10000)
{
    return QTest::qWaitFor(
        [&] {
            const auto changes = c.all(QStringLiteral("room_changed"));
            return !changes.isEmpty() &&
                   changes.last().object().value(QLatin1String("users")).toArray().size() ==
                       members;
        },
        timeoutMs);
}

inline QJsonArray points(std::initializer_list<double> xy)
{
    QJsonArray a;
    for (double v : xy)
        a.append(v);
    return a;
}

} // namespace chalk::test
