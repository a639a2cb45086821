// Request/answer pairs over the statement protocol: request() sends a call with a fresh
// client_id and awaits (QCoro) the answer the server echoes it in -- the result named
// `expected` or any error. Against a server that does not echo client_id (the original), an
// answer is matched by its name instead. Not for the typed signals: ChatClient emits those.
#pragma once

#include "protocol/codec.h"
#include "protocol/statements.h"

#include <QCoroTask>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <chrono>
#include <functional>
#include <optional>

namespace chalk::client {

class RequestRouter : public QObject {
    Q_OBJECT
public:
    // Sends a call with this client_id; false when not connected.
    using SendCall =
        std::function<bool(protocol::Call, const QJsonObject &fields, const QString &clientId)>;
    // Whether the server echoes client_id (then an error without one answers no request).
    using EchoKnown = std::function<bool()>;

    RequestRouter(SendCall send, EchoKnown serverEchoes, QObject *parent = nullptr);
    ~RequestRouter() override;

    // nullopt on timeout, when the link drops, or when the call cannot be sent.
    QCoro::Task<std::optional<protocol::Envelope>> request(protocol::Call call, QJsonObject fields,
                                                           protocol::Result expected,
                                                           std::chrono::milliseconds timeout);

    // Every incoming result and error: resolves the oldest request it answers.
    void resolve(const protocol::Envelope &env);
    // The link dropped: every request still waiting gets nullopt.
    void failAll();

private:
    class Waiter;
    SendCall m_send;
    EchoKnown m_serverEchoes;
    QList<QPointer<Waiter>> m_waiters;
};

} // namespace chalk::client
