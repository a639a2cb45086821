#include "test_client.h"

#include <QJsonDocument>
#include <QTest>

namespace chalk::test {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &TestClient::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = int(m_socket.closeCode());
    });
    // Tests may raise the server's limits; the client must accept whatever it is sent.
    m_socket.setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
}

TestClient::~TestClient()
{
    m_socket.abort();
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    m_closed = false;
    m_socket.open(url);
    return QTest::qWaitFor(
               [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; },
               timeoutMs) &&
           m_socket.state() == QAbstractSocket::ConnectedState;
}

bool TestClient::openAndWelcome(const QUrl &url, int timeoutMs)
{
    if (!open(url, timeoutMs))
        return false;
    return waitFor(QStringLiteral("user_created"), timeoutMs) &&
           waitFor(QStringLiteral("rooms_listed"), timeoutMs);
}

void TestClient::close()
{
    m_socket.close();
    waitClosed();
}

void TestClient::call(const QString &name, const QJsonObject &fields)
{
    QJsonObject payload = fields;
    payload.insert(QStringLiteral("message"), name);
    const QJsonObject root{{QStringLiteral("type"), QStringLiteral("call")},
                           {QStringLiteral("payload"), payload}};
    sendText(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact)));
}

void TestClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

void TestClient::onText(const QString &text)
{
    Statement s;
    s.text = text;
    const QJsonObject root = QJsonDocument::fromJson(text.toUtf8()).object();
    s.type = root.value(QLatin1String("type")).toString();
    s.payload = root.value(QLatin1String("payload")).toObject();
    s.name = s.payload.value(QLatin1String("message")).toString();
    if (s.name == QLatin1String("user_created") || s.name == QLatin1String("resumed")) {
        m_user = s.object();
        if (s.payload.contains(QLatin1String("token")))
            m_token = s.payload.value(QLatin1String("token")).toString();
    } else if (s.name == QLatin1String("user_changed")) {
        m_user = s.object();
    }
    m_received.append(std::move(s));
}

std::optional<Statement> TestClient::waitFor(const QString &name, int timeoutMs)
{
    std::optional<Statement> found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = m_cursor; i < m_received.size(); ++i) {
                if (m_received[i].name == name) {
                    found = m_received[i];
                    m_cursor = i + 1;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

std::optional<Statement> TestClient::request(const QString &name, const QJsonObject &fields,
                                             int timeoutMs)
{
    const QString id = QStringLiteral("req-%1").arg(m_nextId++);
    QJsonObject withId = fields;
    withId.insert(QStringLiteral("client_id"), id);
    const qsizetype from = m_received.size();
    call(name, withId);
    std::optional<Statement> found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = from; i < m_received.size(); ++i) {
                if (m_received[i].payload.value(QLatin1String("client_id")).toString() == id) {
                    found = m_received[i];
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

std::optional<Statement> TestClient::next(const QStringList &ignore, int timeoutMs)
{
    std::optional<Statement> found;
    (void)QTest::qWaitFor(
        [&] {
            while (m_cursor < m_received.size()) {
                const Statement &s = m_received[m_cursor++];
                if (!ignore.contains(s.name)) {
                    found = s;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool TestClient::waitForCount(const QString &name, int n, int timeoutMs)
{
    return QTest::qWaitFor([&] { return count(name) >= n; }, timeoutMs);
}

QList<Statement> TestClient::all(const QString &name) const
{
    QList<Statement> out;
    for (const Statement &s : m_received) {
        if (s.name == name)
            out.append(s);
    }
    return out;
}

int TestClient::count(const QString &name) const
{
    int n = 0;
    for (const Statement &s : m_received)
        n += s.name == name ? 1 : 0;
    return n;
}

bool TestClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

bool TestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

} // namespace chalk::test
