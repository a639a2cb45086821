// A Storage decorator that answers every call after a delay, like a database on another
// thread would. Tests use it to make handlers really suspend, so races (a client leaving
// while its call awaits storage, messages arriving while another client enters) happen.
#pragma once

#include "server/storage/storage.h"

#include <QCoroTimer>
#include <chrono>
#include <memory>

namespace chalk::test {

class SlowStorage : public server::Storage {
public:
    SlowStorage(std::unique_ptr<server::Storage> inner, std::chrono::milliseconds delay)
        : m_inner(std::move(inner))
        , m_delay(delay)
    {}

    QCoro::Task<bool> open() override { co_return co_await m_inner->open(); }
    QCoro::Task<void> flush() override
    {
        co_await QCoro::sleepFor(m_delay);
        co_await m_inner->flush();
    }
    QString lastError() const override { return m_inner->lastError(); }
    QString describe() const override { return QStringLiteral("slow ") + m_inner->describe(); }

    QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() override
    {
        co_return co_await m_inner->listRooms();
    }
    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->createRoom(room);
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->updateRoom(room);
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->deleteRoom(roomUuid);
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->addMessage(m);
    }
    QCoro::Task<std::optional<server::MessagePage>> listMessages(QString roomUuid, QString before,
                                                                 int limit) override
    {
        // The snapshot is taken first and delivered late, as a reader thread would.
        auto page = co_await m_inner->listMessages(roomUuid, before, limit);
        co_await QCoro::sleepFor(m_delay);
        co_return page;
    }
    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override
    {
        auto lines = co_await m_inner->lines(roomUuid);
        co_await QCoro::sleepFor(m_delay);
        co_return lines;
    }
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->upsertLine(roomUuid, line);
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->removeLine(roomUuid, lineUuid);
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->resetDrawing(roomUuid);
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->saveUser(user, tokenHash);
    }
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->userByTokenHash(tokenHash);
    }

private:
    std::unique_ptr<server::Storage> m_inner;
    std::chrono::milliseconds m_delay;
};

} // namespace chalk::test
