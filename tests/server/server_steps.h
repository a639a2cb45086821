// Short steps the server tests share: create a room, enter it, say something.
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
