// A Storage decorator that holds every addMessage until the test opens the gate, then lets
// all of them complete in one go (one signal): the server handles their completions in the
// same turn of its event loop. Tests use it to make "many changes at once" an event instead
// of a race with the machine's speed.
#pragma once

#include "forwarding_storage.h"

#include <QTimer>
#include <coroutine>
#include <memory>
#include <utility>
#include <vector>

namespace chalk::test {

class GatedStorage : public ForwardingStorage {
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
        : ForwardingStorage(std::move(inner))
        , m_gate(std::move(gate))
    {}

    QString describe() const override { return QStringLiteral("gated ") + inner().describe(); }

    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        auto stored = co_await inner().addMessage(m);
        if (!m_gate->isOpen) {
            ++m_gate->waiting;
            co_await m_gate->opened();
        }
        co_return stored;
    }

private:
    std::shared_ptr<Gate> m_gate;
};

} // namespace chalk::test
