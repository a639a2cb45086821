// A Storage decorator whose writes fail on demand, like a database that is full or read-only:
// tests drive the server's storage_failed paths with it (nothing acknowledged, nothing sent to
// others). Reads keep working, so the test can check that nothing was stored.
#pragma once

#include "forwarding_storage.h"

#include <memory>

namespace chalk::test {

class FailingStorage : public ForwardingStorage {
public:
    // While `*failWrites` is true every write answers failure. The test keeps the flag; the
    // server owns this object.
    FailingStorage(std::unique_ptr<server::Storage> inner, std::shared_ptr<bool> failWrites)
        : ForwardingStorage(std::move(inner))
        , m_fail(std::move(failWrites))
    {}

    QString lastError() const override
    {
        return *m_fail ? QStringLiteral("writes refused (test)") : inner().lastError();
    }
    QString describe() const override { return QStringLiteral("failing ") + inner().describe(); }

    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        co_return !*m_fail && co_await inner().createRoom(room);
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        co_return !*m_fail && co_await inner().updateRoom(room);
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        co_return !*m_fail && co_await inner().deleteRoom(roomUuid);
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        if (*m_fail)
            co_return std::nullopt;
        co_return co_await inner().addMessage(m);
    }
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override
    {
        co_return !*m_fail && co_await inner().upsertLine(roomUuid, line);
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        co_return !*m_fail && co_await inner().removeLine(roomUuid, lineUuid);
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        co_return !*m_fail && co_await inner().resetDrawing(roomUuid);
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        co_return !*m_fail && co_await inner().saveUser(user, tokenHash);
    }

private:
    std::shared_ptr<bool> m_fail;
};

} // namespace chalk::test
