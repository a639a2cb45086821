#include "chat_server.h"

#include "server_core.h"

#include <QTcpServer>

namespace chalk::server {

ChatServer::ChatServer(std::unique_ptr<Storage> storage, ServerOptions options, QObject *parent)
    : QObject(parent)
    , m_core(std::make_unique<ServerCore>(std::move(storage), std::move(options)))
{}

ChatServer::~ChatServer() = default;

QCoro::Task<bool> ChatServer::start()
{
    return m_core->start();
}

QCoro::Task<void> ChatServer::stop()
{
    return m_core->stop();
}

QUrl ChatServer::url() const
{
    QUrl u;
    u.setScheme(m_core->isSecure() ? QStringLiteral("wss") : QStringLiteral("ws"));
    u.setHost(m_core->options().host.toString());
    u.setPort(port());
    return u;
}

quint16 ChatServer::port() const
{
    return m_core->tcpServer()->serverPort();
}

QString ChatServer::errorString() const
{
    return m_core->errorString();
}

int ChatServer::sessionCount() const
{
    return m_core->sessionCount();
}

int ChatServer::pendingPresenceChanges() const
{
    return m_core->presence().pendingChanges();
}

qint64 ChatServer::presenceFramesSent() const
{
    return m_core->presence().framesSent();
}

bool ChatServer::isListening() const
{
    return m_core->tcpServer()->isListening();
}

} // namespace chalk::server
