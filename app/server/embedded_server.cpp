// EmbeddedServer: a ChatServer with the storage its spec names, started and stopped as one.
#include "embedded_server.h"

#include "chat_server.h"
#include "logging.h"
#include "storage/storage_factory.h"

namespace chalk::server {

EmbeddedServer::EmbeddedServer(QString storageSpec)
    : m_spec(std::move(storageSpec))
{
    if (m_spec.isEmpty()) {
        const QString path = defaultSqlitePath();
        m_spec = path.isEmpty() ? QStringLiteral("memory") : QStringLiteral("sqlite:") + path;
        if (path.isEmpty())
            qCWarning(lcServer)
                << "no writable data folder: the embedded server keeps rooms in memory";
    }
}

EmbeddedServer::~EmbeddedServer() = default;

QCoro::Task<bool> EmbeddedServer::start(QHostAddress host, quint16 port)
{
    co_await stop();
    QString error;
    std::unique_ptr<Storage> storage = makeStorage(m_spec, &error);
    if (!storage) {
        m_error = error;
        co_return false;
    }
    ServerOptions options;
    options.host = host;
    options.port = port;
    auto chat = std::make_unique<ChatServer>(std::move(storage), options);
    const bool ok = co_await chat->start();
    if (!ok) {
        m_error = chat->errorString();
        co_return false;
    }
    m_chat = std::move(chat);
    m_error.clear();
    co_return true;
}

QCoro::Task<void> EmbeddedServer::stop()
{
    if (auto chat = std::move(m_chat))
        co_await chat->stop();
}

bool EmbeddedServer::isListening() const
{
    return m_chat && m_chat->isListening();
}

quint16 EmbeddedServer::port() const
{
    return m_chat ? m_chat->port() : 0;
}

QUrl EmbeddedServer::url() const
{
    return m_chat ? m_chat->url() : QUrl();
}

QString EmbeddedServer::errorString() const
{
    return m_error;
}

QString EmbeddedServer::storageSpec() const
{
    return m_spec;
}

} // namespace chalk::server
