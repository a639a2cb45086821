#include "server_host.h"

#include "server/chat_server.h"
#include "server/storage/storage_factory.h"
#include "ui_logging.h"

namespace chalk::ui {

ServerHost::ServerHost(QString storageSpec, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(storageSpec))
{
    if (m_spec.isEmpty()) {
        const QString path = server::defaultSqlitePath();
        m_spec = path.isEmpty() ? QStringLiteral("memory") : QStringLiteral("sqlite:") + path;
        if (path.isEmpty())
            qCWarning(lcUi) << "no writable data folder: the embedded server keeps rooms in memory";
    }
}

ServerHost::~ServerHost() = default;

QCoro::Task<bool> ServerHost::tryStart(QHostAddress host, quint16 port)
{
    QString error;
    std::unique_ptr<server::Storage> storage = server::makeStorage(m_spec, &error);
    if (!storage) {
        m_error = error;
        co_return false;
    }
    server::ServerOptions options;
    options.host = host;
    options.port = port;
    auto chat = std::make_unique<server::ChatServer>(std::move(storage), options);
    const bool ok = co_await chat->start();
    if (!ok) {
        m_error = chat->errorString();
        co_return false;
    }
    m_server = std::move(chat);
    m_host = host;
    m_error.clear();
    qCInfo(lcUi) << "embedded server listening on" << m_server->url().toString() << "storage"
                 << m_spec;
    emit listening(localUrl());
    co_return true;
}

QCoro::Task<bool> ServerHost::start(QHostAddress host, quint16 port, bool fallbackToFreePort)
{
    co_await stop();
    if (co_await tryStart(host, port))
        co_return true;
    if (!fallbackToFreePort || port == 0)
        co_return false;
    qCInfo(lcUi) << "port" << port << "is taken (" << m_error << "): using a free port";
    co_return co_await tryStart(host, 0);
}

QCoro::Task<bool> ServerHost::relisten(QHostAddress host, quint16 port)
{
    const QHostAddress oldHost = m_host;
    const quint16 oldPort = this->port();
    co_await stop();
    if (co_await tryStart(host, port))
        co_return true;
    const QString error = m_error;
    // Back to where it was, so the app keeps working; the caller shows `error`.
    if (oldPort != 0)
        co_await tryStart(oldHost, oldPort);
    m_error = error;
    co_return false;
}

QCoro::Task<void> ServerHost::stop()
{
    if (auto chat = std::move(m_server))
        co_await chat->stop();
}

bool ServerHost::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 ServerHost::port() const
{
    return m_server ? m_server->port() : 0;
}

QUrl ServerHost::localUrl() const
{
    if (!m_server)
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    const bool wildcard = m_host == QHostAddress::Any || m_host == QHostAddress::AnyIPv4 ||
                          m_host == QHostAddress::AnyIPv6;
    const QHostAddress connectTo =
        wildcard ? (m_host == QHostAddress::AnyIPv6 ? QHostAddress(QHostAddress::LocalHostIPv6)
                                                    : QHostAddress(QHostAddress::LocalHost))
                 : m_host;
    url.setHost(connectTo.toString());
    url.setPort(port());
    return url;
}

} // namespace chalk::ui
