#include "server_host.h"

#include "server/embedded_server.h"
#include "ui_logging.h"

namespace chalk::ui {

ServerHost::ServerHost(QString storageSpec, QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<server::EmbeddedServer>(std::move(storageSpec)))
{}

ServerHost::~ServerHost() = default;

QString ServerHost::storageSpec() const
{
    return m_server->storageSpec();
}

QCoro::Task<bool> ServerHost::tryStart(QHostAddress host, quint16 port)
{
    const bool ok = co_await m_server->start(host, port);
    if (!ok) {
        m_error = m_server->errorString();
        co_return false;
    }
    m_host = host;
    m_error.clear();
    qCInfo(lcUi) << "embedded server listening on" << m_server->url().toString() << "storage"
                 << m_server->storageSpec();
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
    co_await m_server->stop();
}

bool ServerHost::isListening() const
{
    return m_server->isListening();
}

quint16 ServerHost::port() const
{
    return m_server->port();
}

QUrl ServerHost::localUrl() const
{
    if (!m_server->isListening())
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
