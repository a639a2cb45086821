// Accounts over real sockets (docs/ACCOUNTS.md): register, login, logout, change_password and
// every refusal; names unique by NFKC + case fold; a registered name protected from others; a
// wrong password and an unknown name answered alike; a login flood slowed, then cut (1008);
// --accounts off and required. Argon2id at libsodium's minimum work factor (the tests check
// behaviour, not cost).
#include "protocol/objects.h"
#include "server/password_hasher.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {

server::ServerOptions accountOptions(server::AccountsMode mode = server::AccountsMode::Optional)
{
    server::ServerOptions options;
    options.accounts = mode;
    options.passwordWork = server::PasswordHasher::minimumWork();
    return options;
}

std::optional<Statement> registerAs(TestClient &c, const QString &name, const QString &password)
{
    return c.request("register", {{"name", name}, {"password", password}});
}

std::optional<Statement> loginAs(TestClient &c, const QString &name, const QString &password)
{
    return c.request("login", {{"name", name}, {"password", password}});
}

// The uuid a token resumes on a new connection (after its welcome, if the server gives one);
// empty when it is refused.
QString resumedUuid(const QUrl &url, const QString &token, bool welcomed = true)
{
    TestClient c;
    if (!(welcomed ? c.openAndWelcome(url) : c.open(url)))
        return QStringLiteral("<no connection>");
    const auto answer = c.request("resume", {{"token", token}});
    if (!answer || answer->name != QLatin1String("resumed"))
        return {};
    return answer->object().value("uuid").toString();
}

// An error's fields that a client reads, without its client_id.
QJsonObject errorShape(const std::optional<Statement> &s)
{
    QJsonObject p = s ? s->payload : QJsonObject{{"message", "<no answer>"}};
    p.remove("client_id");
    return p;
}

const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestServerAccounts : public QObject {
    Q_OBJECT

    TestServer m_server;
    qint64 m_now = 1000; // the server's clock in aLoginFloodIsSlowedThenCut (outlives the test)

private slots:
    void cleanup() { m_server.stop(); }

    void registerKeepsUuidNameAndHistory()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(answerName(a.request("change_user_name", {{"name", "Ann the First"}})),
                 QStringLiteral("user_changed"));
        QCOMPARE(answerName(say(a, "said anonymously")), QStringLiteral("message_created"));
        const QString uuid = a.userUuid();
        const QString anonymousToken = a.token();

        const auto reg = registerAs(a, "ann", kPassword);
        QVERIFY(reg);
        QCOMPARE(reg->name, QStringLiteral("registered"));
        QCOMPARE(reg->object().value("uuid").toString(), uuid);
        QCOMPARE(reg->object().value("name").toString(), QStringLiteral("Ann the First"));
        QCOMPARE(reg->object().value("registered").toBool(), true);
        const QString token = reg->payload.value("token").toString();
        QVERIFY(token.size() >= 43);
        QVERIFY(token != anonymousToken);
        QVERIFY(!reg->text.contains(kPassword));

        // The other member sees the user marked; an anonymous one is not.
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : b.all("room_changed"))
                    for (const QJsonValue &u : s.object().value("users").toArray())
                        if (u.toObject().value("uuid").toString() == uuid &&
                            u.toObject().value("registered").toBool())
                            return true;
                return false;
            },
            10000));
        const auto listed = b.request("list_rooms");
        QVERIFY(listed);
        for (const QJsonValue &r : listed->payload.value("list").toArray())
            for (const QJsonValue &u : r.toObject().value("users").toArray())
                QCOMPARE(u.toObject().contains("registered"),
                         u.toObject().value("uuid").toString() == uuid);

        // History kept: the message is still the same user's.
        const auto page = a.request("list_messages");
        QVERIFY(page);
        const QJsonArray list = page->payload.value("list").toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value("user").toObject().value("uuid").toString(), uuid);

        // This device's token is the new one; the anonymous one is replaced.
        QCOMPARE(resumedUuid(m_server.url(), token), uuid);
        QCOMPARE(resumedUuid(m_server.url(), anonymousToken), QString());
        // Registering again is refused.
        QCOMPARE(answerName(registerAs(a, "ann2", kPassword)),
                 QStringLiteral("already_registered"));
    }

    void loginOnASecondDeviceGivesTheSameUuid()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(c.openAndWelcome(m_server.url()));
        const auto reg = registerAs(a, "Zoë", kPassword);
        QCOMPARE(answerName(reg), QStringLiteral("registered"));
        const QString tokenA = reg->payload.value("token").toString();

        // Another form and case of the same name: NFKC ("ｚ" fullwidth, "e" + combining
        // diaeresis) and case fold.
        b.skipAll();
        const auto in = loginAs(b, QString::fromUtf8("ＺＯe\u0308"), kPassword);
        QVERIFY(in);
        QCOMPARE(in->name, QStringLiteral("logged_in"));
        QCOMPARE(in->object().value("uuid").toString(), a.userUuid());
        QCOMPARE(in->object().value("registered").toBool(), true);
        const QString tokenB = in->payload.value("token").toString();
        QVERIFY(!tokenB.isEmpty() && tokenB != tokenA);
        QVERIFY(b.waitFor("rooms_listed"));
        // A call now acts as that user.
        const auto renamed = b.request("change_user_name", {{"name", "Zoë on b"}});
        QVERIFY(renamed);
        QCOMPARE(renamed->object().value("uuid").toString(), a.userUuid());
        QCOMPARE(renamed->object().value("registered").toBool(), true);

        // Each device's token resumes the one user.
        QCOMPARE(resumedUuid(m_server.url(), tokenA), a.userUuid());
        QCOMPARE(resumedUuid(m_server.url(), tokenB), a.userUuid());
        // A third device too, with its own token.
        const auto third = loginAs(c, "zoë", kPassword);
        QCOMPARE(answerName(third), QStringLiteral("logged_in"));
        QVERIFY(third->payload.value("token").toString() != tokenB);
    }

    void namesAreUniqueAndBounded()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(registerAs(a, "Ann", kPassword)), QStringLiteral("registered"));
        for (const QString &same : {QStringLiteral("ann"), QStringLiteral("ANN"),
                                    QString::fromUtf8("Ａｎｎ"), QStringLiteral("  ann  ")}) {
            const auto e = registerAs(b, same, kPassword);
            QVERIFY(e);
            QCOMPARE(e->name, QStringLiteral("name_taken"));
            QCOMPARE(e->payload.value("field").toString(), QStringLiteral("name"));
        }
        QCOMPARE(answerName(registerAs(b, "ab", kPassword)), QStringLiteral("bad_data"));
        QCOMPARE(answerName(registerAs(b, QString(33, 'x'), kPassword)),
                 QStringLiteral("data_too_long"));
        QCOMPARE(answerName(registerAs(b, "line\nbreak", kPassword)), QStringLiteral("bad_data"));
        // Passwords are counted in UTF-8 bytes: 7 is too few, 1025 too many (513 two-byte
        // characters are 1026 bytes though only 513 characters).
        QCOMPARE(answerName(registerAs(b, "bob", "1234567")), QStringLiteral("bad_data"));
        QCOMPARE(answerName(registerAs(b, "bob", QString(513, QChar(0xe9)))),
                 QStringLiteral("data_too_long"));
        QCOMPARE(answerName(registerAs(b, "bob", QString(1025, 'p'))),
                 QStringLiteral("data_too_long"));
        QCOMPARE(answerName(registerAs(b, "bob", QString(1024, 'p'))),
                 QStringLiteral("registered"));
        QCOMPARE(answerName(loginAs(a, "bob", QString(1024, 'p'))), QStringLiteral("logged_in"));
    }

    void wrongPasswordAndUnknownNameLookAlike()
    {
        QList<QString> logged;
        static QList<QString> *sink = nullptr;
        sink = &logged;
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &m) {
                if (sink)
                    sink->append(m);
            });
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(registerAs(a, "ann", kPassword)), QStringLiteral("registered"));
        const auto wrong = loginAs(b, "ann", "not the password");
        const auto unknown = loginAs(b, "nobody-here", "not the password");
        QVERIFY(wrong && unknown);
        QCOMPARE(wrong->name, QStringLiteral("bad_login"));
        QCOMPARE(errorShape(wrong), errorShape(unknown));
        // Neither password is in any answer, nor in anything the server logged.
        for (const Statement &s : b.received() + a.received()) {
            QVERIFY(!s.text.contains("not the password"));
            QVERIFY(!s.text.contains(kPassword));
        }
        qInstallMessageHandler(previous);
        sink = nullptr;
        for (const QString &line : logged) {
            QVERIFY2(!line.contains("not the password") && !line.contains(kPassword),
                     qPrintable(line));
        }
        // b is still the anonymous user it was.
        const auto rooms = b.request("list_rooms");
        QCOMPARE(answerName(rooms), QStringLiteral("rooms_listed"));
    }

    void logoutRevokesThisDeviceOnly()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(b.request("logout")), QStringLiteral("not_registered"));
        const auto reg = registerAs(a, "ann", kPassword);
        QCOMPARE(answerName(reg), QStringLiteral("registered"));
        const QString tokenA = reg->payload.value("token").toString();
        const auto in = loginAs(b, "ann", kPassword);
        QCOMPARE(answerName(in), QStringLiteral("logged_in"));
        const QString tokenB = in->payload.value("token").toString();
        const QString room = createRoom(b);
        QVERIFY(enterRoom(b, room));

        b.skipAll();
        const auto out = b.request("logout");
        QCOMPARE(answerName(out), QStringLiteral("logged_out"));
        // A new anonymous identity follows, in no room.
        const auto created = b.waitFor("user_created");
        QVERIFY(created);
        const QString anonymous = created->object().value("uuid").toString();
        QVERIFY(anonymous != a.userUuid());
        QVERIFY(!created->object().contains("registered"));
        QVERIFY(b.waitFor("rooms_listed"));
        QCOMPARE(answerName(say(b, "where am I")), QStringLiteral("no_selected_room"));

        QCOMPARE(resumedUuid(m_server.url(), tokenB), QString());    // revoked
        QCOMPARE(resumedUuid(m_server.url(), tokenA), a.userUuid()); // the other device's
    }

    void changePasswordRevokesTheOtherDevices()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b, c, anon;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(c.openAndWelcome(m_server.url()));
        QVERIFY(anon.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(anon.request("change_password",
                                         {{"old", kPassword}, {"new", "x long enough"}})),
                 QStringLiteral("not_registered"));
        const auto reg = registerAs(a, "ann", kPassword);
        QCOMPARE(answerName(reg), QStringLiteral("registered"));
        const QString tokenA = reg->payload.value("token").toString();
        const auto inB = loginAs(b, "ann", kPassword);
        const auto inC = loginAs(c, "ann", kPassword);
        QCOMPARE(answerName(inB), QStringLiteral("logged_in"));
        QCOMPARE(answerName(inC), QStringLiteral("logged_in"));
        const QString tokenB = inB->payload.value("token").toString();
        const QString tokenC = inC->payload.value("token").toString();

        const QString fresh = QStringLiteral("a new password");
        QCOMPARE(
            answerName(b.request("change_password", {{"old", "not it at all"}, {"new", fresh}})),
            QStringLiteral("bad_login"));
        QCOMPARE(answerName(b.request("change_password", {{"old", kPassword}, {"new", "short"}})),
                 QStringLiteral("bad_data"));
        const auto changed = b.request("change_password", {{"old", kPassword}, {"new", fresh}});
        QCOMPARE(answerName(changed), QStringLiteral("password_changed"));
        // The other devices' connections are closed at once; b and the others stay.
        QVERIFY(a.waitClosed());
        QVERIFY(c.waitClosed());
        QCOMPARE(a.closeCode(), 1000);
        QVERIFY(b.isConnected());
        QVERIFY(anon.isConnected());
        QCOMPARE(answerName(b.request("list_rooms")), QStringLiteral("rooms_listed"));

        QCOMPARE(resumedUuid(m_server.url(), tokenA), QString());
        QCOMPARE(resumedUuid(m_server.url(), tokenC), QString());
        QCOMPARE(resumedUuid(m_server.url(), tokenB), a.userUuid());
        TestClient d;
        QVERIFY(d.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(loginAs(d, "ann", kPassword)), QStringLiteral("bad_login"));
        QCOMPARE(answerName(loginAs(d, "ann", fresh)), QStringLiteral("logged_in"));
    }

    void nobodyTakesARegisteredName()
    {
        QVERIFY(m_server.start(accountOptions()));
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(registerAs(a, "ann", kPassword)), QStringLiteral("registered"));
        QCOMPARE(answerName(a.request("change_user_name", {{"name", "Annie"}})),
                 QStringLiteral("user_changed"));
        // The login name and the display name are both a's, in any case or form.
        for (const QString &taken : {QStringLiteral("ann"), QStringLiteral("ANN"),
                                     QStringLiteral("Annie"), QString::fromUtf8("ａｎｎｉｅ")}) {
            const auto e = b.request("change_user_name", {{"name", taken}});
            QVERIFY(e);
            QCOMPARE(e->name, QStringLiteral("name_taken"));
        }
        QCOMPARE(answerName(b.request("change_user_name", {{"name", "Bob"}})),
                 QStringLiteral("user_changed"));
        // Nor as an account name, nor by registering with it as one's display name.
        QCOMPARE(answerName(registerAs(b, "annie", kPassword)), QStringLiteral("name_taken"));
        // a itself may use its own names in any form.
        QCOMPARE(answerName(a.request("change_user_name", {{"name", "ANN"}})),
                 QStringLiteral("user_changed"));
        // Registered b cannot take a's either.
        QCOMPARE(answerName(registerAs(b, "bob", kPassword)), QStringLiteral("registered"));
        QCOMPARE(answerName(b.request("change_user_name", {{"name", "ann"}})),
                 QStringLiteral("name_taken"));
    }

    void aLoginFloodIsSlowedThenCut()
    {
        qint64 &now = m_now;
        server::ServerOptions options = accountOptions();
        options.clockMs = [this] { return m_now; };
        options.loginThrottle.freeFailures = 3;
        options.loginThrottle.delayMs = 1000;
        options.loginThrottle.cutOffFailures = 10;
        QVERIFY(m_server.start(options));
        TestClient owner, attacker, other;
        QVERIFY(owner.openAndWelcome(m_server.url()));
        QVERIFY(attacker.openAndWelcome(m_server.url()));
        QVERIFY(other.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(registerAs(owner, "ann", kPassword)), QStringLiteral("registered"));

        // Free failures, then the one that starts the wait: answered bad_login.
        for (int i = 0; i < 4; ++i)
            QCOMPARE(answerName(loginAs(attacker, "ann", "guess no. " + QString::number(i))),
                     QStringLiteral("bad_login"));
        // Slowed: the next try, even with the right password, must wait; from another
        // connection too (the account is slowed; the refusal counts against that connection,
        // and does not lengthen the account's wait).
        QCOMPARE(answerName(loginAs(attacker, "ann", kPassword)), QStringLiteral("rate_limited"));
        QCOMPARE(answerName(loginAs(other, "ann", kPassword)), QStringLiteral("rate_limited"));
        now += 1000;
        QCOMPARE(answerName(loginAs(attacker, "ann", "guess no. 4")), QStringLiteral("bad_login"));
        // An unknown name is slowed the same way (nothing tells it from a known one).
        TestClient prober;
        QVERIFY(prober.openAndWelcome(m_server.url()));
        QStringList probes;
        for (int i = 0; i < 5; ++i)
            probes << answerName(loginAs(prober, "nobody", "guess no. " + QString::number(i)));
        QCOMPARE(probes,
                 QStringList({"bad_login", "bad_login", "bad_login", "bad_login", "rate_limited"}));

        // Going on: cut off with 1008 once it failed 10 times (tries refused count too).
        int answered = 0;
        for (int tries = 0; attacker.isConnected() && tries < 20; ++tries) {
            now += 120000; // past any wait
            if (answerName(loginAs(attacker, "ann", "guess again")) == QLatin1String("bad_login"))
                ++answered;
        }
        QVERIFY(attacker.waitClosed());
        QCOMPARE(attacker.closeCode(), 1008);
        QVERIFY(answered < 10);

        // The owner's own login works once the wait is over, and clears the count.
        now += 120000;
        QCOMPARE(answerName(loginAs(other, "ann", kPassword)), QStringLiteral("logged_in"));
        QCOMPARE(answerName(loginAs(other, "ann", "one wrong")), QStringLiteral("bad_login"));
        QCOMPARE(answerName(loginAs(other, "ann", kPassword)), QStringLiteral("logged_in"));
    }

    void accountsRequired()
    {
        QVERIFY(m_server.start(accountOptions(server::AccountsMode::Required)));
        TestClient c;
        QVERIFY(c.open(m_server.url()));
        const auto hello = c.next();
        QVERIFY(hello);
        QCOMPARE(hello->name, QStringLiteral("account_required"));
        for (const QString call : {"list_rooms", "create_room", "change_user_name", "logout",
                                   "enter_room", "create_message"}) {
            QJsonObject fields;
            if (call == QLatin1String("change_user_name"))
                fields.insert("name", "x");
            if (call == QLatin1String("enter_room"))
                fields.insert("uuid", protocol::newUuid());
            if (call == QLatin1String("create_message"))
                fields.insert("body", "hi");
            QCOMPARE(answerName(c.request(call, fields)), QStringLiteral("account_required"));
        }
        QCOMPARE(c.count("user_created"), 0);
        QCOMPARE(c.count("rooms_listed"), 0);

        // Someone signed in creates a room: c, with no identity, hears nothing of it.
        TestClient d;
        QVERIFY(d.open(m_server.url()));
        const auto reg = registerAs(d, "carol", kPassword);
        QVERIFY(reg);
        QCOMPARE(reg->name, QStringLiteral("registered"));
        QCOMPARE(reg->object().value("name").toString(), QStringLiteral("carol"));
        QVERIFY(d.waitFor("rooms_listed"));
        QVERIFY(!createRoom(d).isEmpty());
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("account_required"));
        QCOMPARE(c.count("room_created"), 0);

        // Login, and the calls work; logout, and they do not.
        const auto in = loginAs(c, "carol", kPassword);
        QCOMPARE(answerName(in), QStringLiteral("logged_in"));
        QVERIFY(c.waitFor("rooms_listed"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(answerName(c.request("logout")), QStringLiteral("logged_out"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("account_required"));
        QCOMPARE(c.count("user_created"), 0);
        // A device token of the account resumes; the revoked one does not.
        QCOMPARE(resumedUuid(m_server.url(), reg->payload.value("token").toString(), false),
                 in->object().value("uuid").toString());
        QCOMPARE(resumedUuid(m_server.url(), in->payload.value("token").toString(), false),
                 QString());
    }

    void accountsOff()
    {
        server::ServerOptions options = accountOptions(server::AccountsMode::Off);
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(registerAs(c, "carol", kPassword)), QStringLiteral("accounts_off"));
        QCOMPARE(answerName(loginAs(c, "carol", kPassword)), QStringLiteral("accounts_off"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
    }

    void thePasswordComesFirst()
    {
        server::ServerOptions options = accountOptions(server::AccountsMode::Required);
        options.password = QStringLiteral("server secret");
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.open(m_server.url()));
        QCOMPARE(answerName(c.next()), QStringLiteral("unauthorized"));
        QCOMPARE(answerName(registerAs(c, "carol", kPassword)), QStringLiteral("unauthorized"));
        QCOMPARE(answerName(loginAs(c, "carol", kPassword)), QStringLiteral("unauthorized"));
        c.skipAll();
        c.call("authenticate", {{"password", "server secret"}});
        QCOMPARE(answerName(c.next()), QStringLiteral("authenticated"));
        QCOMPARE(answerName(c.next()), QStringLiteral("account_required"));
        QCOMPARE(answerName(registerAs(c, "carol", kPassword)), QStringLiteral("registered"));
    }
};

QTEST_GUILESS_MAIN(TestServerAccounts)
#include "tst_server_accounts.moc"
