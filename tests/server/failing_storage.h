// A Storage decorator whose writes fail on demand, like a database that is full or read-only:
// tests drive the server's storage_failed paths with it (nothing acknowledged, nothing sent to
// others). Reads keep working, so the test can check that nothing was stored.
#pragma once

#include "forward_account_calls.h"
#include "server/storage/storage.h"

#include <memory>

namespace chalk::test {

class FailingStorage : public server::Storage {
public:
    // While `*failWrites` is true every write answers failure. The test keeps the flag; the
    // server owns this object.
    FailingStorage(std::unique_ptr<server::Storage> inner, std::shared_ptr<bool> failWrites)
        : m_inner(std::move(inner))
        , m_fail(std::move(failWrites))
    {}

    QCoro::Task<bool> open() override { co_return co_await m_inner->open(); }
    QCoro::Task<void> flush() override { co_await m_inner->flush(); }
    QString lastError() const override
    {
        return *m_fail ? QStringLiteral("writes refused (test)") : m_inner->lastError();
    }
    QString describe() const override { return QStringLiteral("failing ") + m_inner->describe(); }

    QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() override
    {
        co_return co_await m_inner->listRooms();
    }
    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        co_return !*m_fail && co_await m_inner->createRoom(room);
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        co_return !*m_fail && co_await m_inner->updateRoom(room);
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        co_return !*m_fail && co_await m_inner->deleteRoom(roomUuid);
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        if (*m_fail)
            co_return std::nullopt;
        co_return co_await m_inner->addMessage(m);
    }
    QCoro::Task<std::optional<server::MessagePage>> listMessages(QString roomUuid, QString before,
                                                                 int limit) override
    {
        co_return co_await m_inner->listMessages(roomUuid, before, limit);
    }
    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override
    {
        co_return co_await m_inner->lines(roomUuid);
    }
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override
    {
        co_return !*m_fail && co_await m_inner->upsertLine(roomUuid, line);
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        co_return !*m_fail && co_await m_inner->removeLine(roomUuid, lineUuid);
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        co_return !*m_fail && co_await m_inner->resetDrawing(roomUuid);
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        co_return !*m_fail && co_await m_inner->saveUser(user, tokenHash);
    }
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override
    {
        co_return co_await m_inner->userByTokenHash(tokenHash);
    }
    CHALK_FORWARD_ACCOUNT_CALLS(m_inner)

private:
    std::unique_ptr<server::Storage> m_inner;
    std::shared_ptr<bool> m_fail;
};

} // namespace chalk::test
