// A Storage decorator that holds every addMessage until the test opens the gate, then lets
// all of them complete in one go (one signal): the server handles their completions in the
// same turn of its event loop. Tests use it to make "many changes at once" an event instead
// of a race with the machine's speed.
#pragma once

#include "forward_account_calls.h"
#include "server/storage/storage.h"

#include <QTimer>
#include <coroutine>
#include <memory>
#include <utility>
#include <vector>

namespace chalk::test {

class GatedStorage : public server::Storage {
public:
    // Stores that finished wait here; open() resumes them all in one event. (Not a QTimer's
    // timeout awaited with qCoro: that signal is private, and QCoro binds its QPrivateSignal
    // argument as a null reference, which UBSan reports.)
    struct Gate {
        int waiting = 0;
        bool isOpen = false;
        std::vector<std::coroutine_handle<>> parked;
        void open()
        {
            isOpen = true;
            QTimer::singleShot(0, [handles = std::exchange(parked, {})] {
                for (std::coroutine_handle<> h : handles)
                    h.resume();
            });
        }
        struct Opened {
            Gate *gate;
            bool await_ready() const noexcept { return gate->isOpen; }
            void await_suspend(std::coroutine_handle<> h) { gate->parked.push_back(h); }
            void await_resume() const noexcept {}
        };
        Opened opened() { return {this}; }
    };

    GatedStorage(std::unique_ptr<server::Storage> inner, std::shared_ptr<Gate> gate)
        : m_inner(std::move(inner))
        , m_gate(std::move(gate))
    {}

    QCoro::Task<bool> open() override { co_return co_await m_inner->open(); }
    QCoro::Task<void> flush() override { co_await m_inner->flush(); }
    QString lastError() const override { return m_inner->lastError(); }
    QString describe() const override { return QStringLiteral("gated ") + m_inner->describe(); }

    QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() override
    {
        co_return co_await m_inner->listRooms();
    }
    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        co_return co_await m_inner->createRoom(room);
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        co_return co_await m_inner->updateRoom(room);
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        co_return co_await m_inner->deleteRoom(roomUuid);
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        auto stored = co_await m_inner->addMessage(m);
        if (!m_gate->isOpen) {
            ++m_gate->waiting;
            co_await m_gate->opened();
        }
        co_return stored;
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
        co_return co_await m_inner->upsertLine(roomUuid, line);
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        co_return co_await m_inner->removeLine(roomUuid, lineUuid);
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        co_return co_await m_inner->resetDrawing(roomUuid);
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        co_return co_await m_inner->saveUser(user, tokenHash);
    }
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override
    {
        co_return co_await m_inner->userByTokenHash(tokenHash);
    }
    CHALK_FORWARD_ACCOUNT_CALLS(m_inner)

private:
    std::unique_ptr<server::Storage> m_inner;
    std::shared_ptr<Gate> m_gate;
};

} // namespace chalk::test
