// A Storage decorator that answers every call after a delay, like a database on another
// thread would. Tests use it to make handlers really suspend, so races (a client leaving
// while its call awaits storage, messages arriving while another client enters) happen.
#pragma once

#include "forward_account_calls.h"
#include "server/storage/storage.h"

#include <QCoroTimer>
#include <chrono>
#include <memory>

namespace chalk::test {

class SlowStorage : public server::Storage {
public:
    // lateAcks: a message is stored at once but its answer comes after the delay, while
    // history reads answer at once: the joiner's page then holds a message whose fan-out is
    // still to come (completions of a real storage thread may be handled in any order).
    SlowStorage(std::unique_ptr<server::Storage> inner, std::chrono::milliseconds delay,
                bool lateAcks = false)
        : m_inner(std::move(inner))
        , m_delay(delay)
        , m_lateAcks(lateAcks)
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
        if (m_lateAcks) {
            auto stored = co_await m_inner->addMessage(m);
            co_await QCoro::sleepFor(m_delay);
            co_return stored;
        }
        co_await QCoro::sleepFor(m_delay);
        co_return co_await m_inner->addMessage(m);
    }
    QCoro::Task<std::optional<server::MessagePage>> listMessages(QString roomUuid, QString before,
                                                                 int limit) override
    {
        // The snapshot is taken first and delivered late, as a reader thread would.
        auto page = co_await m_inner->listMessages(roomUuid, before, limit);
        if (!m_lateAcks)
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
    CHALK_FORWARD_ACCOUNT_CALLS(m_inner)

private:
    std::unique_ptr<server::Storage> m_inner;
    std::chrono::milliseconds m_delay;
    bool m_lateAcks = false;
};

} // namespace chalk::test
