#include "request_router.h"

#include "protocol/objects.h"

#include <QCoroSignal>

namespace chalk::client {

using namespace protocol;

// One awaited request. Lives outside the router's ownership so a coroutine waiting on it is
// always resumed (done is emitted) before it is deleted.
class RequestRouter::Waiter : public QObject {
    Q_OBJECT
public:
    QString clientId;
    QString callName;
    QString expected;
    bool finished = false;
    std::optional<Envelope> result;

    void finish(std::optional<Envelope> r)
    {
        if (finished)
            return;
        finished = true;
        result = std::move(r);
        emit done();
    }

signals:
    void done();
};

RequestRouter::RequestRouter(SendCall send, EchoKnown serverEchoes, QObject *parent)
    : QObject(parent)
    , m_send(std::move(send))
    , m_serverEchoes(std::move(serverEchoes))
{}

RequestRouter::~RequestRouter()
{
    failAll();
}

QCoro::Task<std::optional<Envelope>> RequestRouter::request(Call call, QJsonObject fields,
                                                            Result expected,
                                                            std::chrono::milliseconds timeout)
{
    QPointer<RequestRouter> self = this;
    QPointer<Waiter> waiter = new Waiter;
    waiter->clientId = newUuid();
    waiter->callName = name(call);
    waiter->expected = name(expected);
    m_waiters.append(waiter);
    if (!m_send(call, fields, waiter->clientId)) {
        m_waiters.removeAll(waiter);
        delete waiter.data();
        co_return std::nullopt;
    }
    if (!waiter->finished)
        co_await qCoro(waiter.data(), &Waiter::done, timeout);
    // `this` may be gone by now: only the guarded pointers are used below.
    std::optional<Envelope> result;
    if (waiter) {
        result = waiter->result;
        if (self)
            self->m_waiters.removeAll(waiter);
        waiter->deleteLater();
    }
    co_return result;
}

void RequestRouter::resolve(const Envelope &env)
{
    if (m_waiters.isEmpty())
        return;
    const QString clientId = env.payload.value(QLatin1String("client_id")).toString();
    const bool isError = env.type == Type::Error;
    const QString call = env.payload.value(QLatin1String("call")).toString();
    for (const QPointer<Waiter> &w : std::as_const(m_waiters)) {
        if (!w || w->finished)
            continue;
        bool match = false;
        if (!clientId.isEmpty()) {
            match = clientId == w->clientId && (isError || env.message == w->expected);
        } else if (isError) {
            // No echo (the original server): an error about this call, or about no call at all.
            match = call == w->callName || (call.isEmpty() && !m_serverEchoes());
        } else {
            // A broadcast that answers the call (room_created), or a server without echo.
            match = env.message == w->expected;
        }
        if (match) {
            w->finish(env);
            return; // one answer resolves one request, oldest first
        }
    }
}

void RequestRouter::failAll()
{
    const auto waiters = m_waiters;
    for (const QPointer<Waiter> &w : waiters) {
        if (w)
            w->finish(std::nullopt);
    }
}

} // namespace chalk::client

#include "request_router.moc"
