// Small helpers shared by the storage tests: run a storage Task to completion from a test
// function, and build test objects.
#pragma once

#include "protocol/objects.h"

#include <QCoroTask>
#include <QDateTime>
#include <optional>

namespace chalk::server::test {

// Runs the task's coroutine in a nested event loop and returns its result.
template <typename T> T run(QCoro::Task<T> &&task)
{
    return QCoro::waitFor(std::move(task));
}
inline void run(QCoro::Task<void> &&task)
{
    QCoro::waitFor(std::move(task));
}

// Runs a task whose answer the test uses at once (`answer(s->lines(r))->size()`): no answer
// aborts the test program with a message instead of dereferencing an empty optional.
template <typename T> std::optional<T> answer(QCoro::Task<std::optional<T>> &&task)
{
    std::optional<T> result = QCoro::waitFor(std::move(task));
    if (!result)
        qFatal("the storage gave no answer (std::nullopt) where the test needs one");
    return result;
}

inline protocol::Room makeRoom(const QString &name, qint64 createdMs = 0)
{
    protocol::Room r;
    r.uuid = protocol::newUuid();
    r.name = name;
    r.color = QStringLiteral("#5da247");
    r.created = createdMs ? QDateTime::fromMSecsSinceEpoch(createdMs, Qt::UTC)
                          : QDateTime::currentDateTimeUtc();
    return r;
}

inline protocol::User makeUser(const QString &name)
{
    return protocol::User{protocol::newUuid(), name, QString()};
}

inline protocol::Message makeMessage(const QString &roomUuid, const protocol::User &user,
                                     const QString &body, const QString &clientId = {})
{
    protocol::Message m;
    m.body = body;
    m.user = user;
    m.roomUuid = roomUuid;
    m.clientId = clientId;
    return m;
}

inline protocol::Line makeLine(const QList<double> &points, const QString &color = "#cf2e24")
{
    protocol::Line l;
    l.uuid = protocol::newUuid();
    l.points = points;
    l.tool = QStringLiteral("pen");
    l.color = color;
    l.width = 3;
    return l;
}

} // namespace chalk::server::test
