// A Storage decorator that answers every call after a delay, like a database on another
// thread would. Tests use it to make handlers really suspend, so races (a client leaving
// while its call awaits storage, messages arriving while another client enters) happen.
#pragma once

#include "forwarding_storage.h"

#include <QCoroTimer>
#include <chrono>
#include <memory>

namespace chalk::test {

class SlowStorage : public ForwardingStorage {
public:
    // lateAcks: a message is stored at once but its answer comes after the delay, while
    // history reads answer at once: the joiner's page then holds a message whose fan-out is
    // still to come (completions of a real storage thread may be handled in any order).
    SlowStorage(std::unique_ptr<server::Storage> inner, std::chrono::milliseconds delay,
                bool lateAcks = false)
        : ForwardingStorage(std::move(inner))
        , m_delay(delay)
        , m_lateAcks(lateAcks)
    {}

    QCoro::Task<void> flush() override
    {
        co_await QCoro::sleepFor(m_delay);
        co_await inner().flush();
    }
    QString describe() const override { return QStringLiteral("slow ") + inner().describe(); }

    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().createRoom(room);
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().updateRoom(room);
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().deleteRoom(roomUuid);
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        if (m_lateAcks) {
            auto stored = co_await inner().addMessage(m);
            co_await QCoro::sleepFor(m_delay);
            co_return stored;
        }
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().addMessage(m);
    }
    QCoro::Task<std::optional<server::MessagePage>> listMessages(QString roomUuid, QString before,
                                                                 int limit) override
    {
        // The snapshot is taken first and delivered late, as a reader thread would.
        auto page = co_await inner().listMessages(roomUuid, before, limit);
        if (!m_lateAcks)
            co_await QCoro::sleepFor(m_delay);
        co_return page;
    }
    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override
    {
        auto lines = co_await inner().lines(roomUuid);
        co_await QCoro::sleepFor(m_delay);
        co_return lines;
    }
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().upsertLine(roomUuid, line);
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().removeLine(roomUuid, lineUuid);
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().resetDrawing(roomUuid);
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().saveUser(user, tokenHash);
    }
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override
    {
        co_await QCoro::sleepFor(m_delay);
        co_return co_await inner().userByTokenHash(tokenHash);
    }

private:
    std::chrono::milliseconds m_delay;
    bool m_lateAcks = false;
};

} // namespace chalk::test
