// A small WebSocket client for tests: connects to a server, sends calls, and waits for the
// statements it receives. Everything received is kept, in order, so a test can look back.
// Waits use QTest::qWaitFor with generous timeouts (the machine is noisy): never a sleep.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>
#include <optional>

namespace chalk::test {

struct Statement {
    QString type;        // "result", "error" (or "call")
    QString name;        // payload.message
    QJsonObject payload; // the whole payload, including "message"
    QString text;        // the frame as received

    bool isError() const { return type == QLatin1String("error"); }
    QJsonObject object() const { return payload.value(QLatin1String("object")).toObject(); }
};

class TestClient : public QObject {
    Q_OBJECT
public:
    static constexpr int kTimeout = 10000;

    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    // Connects; true once the socket is open.
    bool open(const QUrl &url, int timeoutMs = kTimeout);
    // Connects and waits for user_created and rooms_listed; fills user() and token().
    bool openAndWelcome(const QUrl &url, int timeoutMs = kTimeout);
    void close();

    // {"type":"call","payload":{"message":name, ...fields}}
    void call(const QString &name, const QJsonObject &fields = {});
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // Sends a call with a fresh client_id and waits for the first statement that echoes it
    // (the direct answer: a result or an error). Does not move the cursor.
    std::optional<Statement> request(const QString &name, const QJsonObject &fields = {},
                                     int timeoutMs = kTimeout);

    // The first statement named `name` after the cursor (skipping others); moves the cursor
    // past it. nullopt on timeout.
    std::optional<Statement> waitFor(const QString &name, int timeoutMs = kTimeout);
    // The very next statement after the cursor, skipping the names in `ignore`.
    std::optional<Statement> next(const QStringList &ignore = {}, int timeoutMs = kTimeout);
    // Waits until `name` has been received `count` times in total.
    bool waitForCount(const QString &name, int count, int timeoutMs = kTimeout);
    // Drops everything received so far from the search (the cursor moves to the end).
    void skipAll() { m_cursor = m_received.size(); }

    const QList<Statement> &received() const { return m_received; }
    QList<Statement> all(const QString &name) const;
    int count(const QString &name) const;
    qsizetype cursor() const { return m_cursor; }

    bool isConnected() const;
    bool waitClosed(int timeoutMs = kTimeout);
    int closeCode() const { return m_closeCode; }

    // Filled by openAndWelcome() (and on a later user_created).
    QJsonObject user() const { return m_user; }
    QString userUuid() const { return m_user.value(QLatin1String("uuid")).toString(); }
    QString token() const { return m_token; }

    QWebSocket &socket() { return m_socket; }

private:
    void onText(const QString &text);

    QWebSocket m_socket;
    QList<Statement> m_received;
    qsizetype m_cursor = 0;
    QJsonObject m_user;
    QString m_token;
    int m_closeCode = -1;
    int m_nextId = 1;
    bool m_closed = false;
};

} // namespace chalk::test
