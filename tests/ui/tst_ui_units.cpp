// Smaller pieces of the UI: command line and links, elided labels, themes, the message
// editor's keys, the header's name editor, sounds when muted, the log table over the ring.
#include "client/log_model.h"
#include "protocol/limits.h"
#include "protocol/objects.h"
#include "ui/elided_label.h"
#include "ui/header_bar.h"
#include "ui/log_pane.h"
#include "ui/log_summary.h"
#include "ui/log_table_model.h"
#include "ui/main_window.h"
#include "ui/message_input.h"
#include "ui/presence_text.h"
#include "ui/server_host.h"
#include "ui/sound_player.h"
#include "ui/startup_options.h"
#include "ui/theme_manager.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QCommandLineParser>
#include <QCoroTask>
#include <QDir>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

using namespace chalk;

class TestUiUnits : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::prepareUiTestEnvironment(); }

    void serverErrorsSaidInTheHeader()
    {
        protocol::CallError e{protocol::Error::BadToken,
                              QStringLiteral("unknown token"),
                              {},
                              QStringLiteral("resume"),
                              {}};
        QVERIFY(ui::MainWindow::errorNotice(e).isEmpty()); // handled quietly, never jargon
        e.error = protocol::Error::NotAMember;
        e.callName = QStringLiteral("enter_room");
        QCOMPARE(ui::MainWindow::errorNotice(e),
                 QStringLiteral("That is a direct conversation of two other people"));
        e.error = protocol::Error::NoSpecifiedRoom;
        QCOMPARE(ui::MainWindow::errorNotice(e),
                 QStringLiteral("Server: no_specified_room (enter_room)"));
    }

    void presenceReadsAsPeopleSayIt()
    {
        using namespace ui::presence_text;
        const QDateTime now(QDate(2026, 11, 28), QTime(16, 30));
        QCOMPARE(describe(true, {}, now), QStringLiteral("Online"));
        QCOMPARE(describe(true, now.addSecs(-60), now), QStringLiteral("Online"));
        QCOMPARE(describe(false, {}, now), QStringLiteral("Offline"));
        const QDateTime earlier(QDate(2026, 11, 28), QTime(14, 5));
        QCOMPARE(describe(false, earlier, now),
                 QStringLiteral("Last seen ") +
                     QLocale().toString(QTime(14, 5), QLocale::ShortFormat));
        QCOMPARE(describe(false, earlier.addDays(-1), now), QStringLiteral("Last seen yesterday"));
        QCOMPARE(describe(false, QDateTime(QDate(2026, 11, 3), QTime(9, 0)), now),
                 QStringLiteral("Last seen ") + QLocale().toString(QDate(2026, 11, 3), "d MMM"));
        QVERIFY(describe(false, QDateTime(QDate(2025, 1, 2), QTime(9, 0)), now)
                    .startsWith(QStringLiteral("Last seen ")));
    }

    void roomLinks()
    {
        const QString uuid = protocol::newUuid();
        const auto link =
            ui::parseRoomLink(QStringLiteral("chalkroom://192.168.1.20:9100/room/") + uuid);
        QVERIFY(link.has_value());
        QCOMPARE(link->server.toString(), QStringLiteral("ws://192.168.1.20:9100"));
        QCOMPARE(link->room, uuid);
        const auto noPort =
            ui::parseRoomLink(QStringLiteral("chalkroom://example.org/room/") + uuid.toUpper());
        QVERIFY(noPort.has_value());
        QCOMPARE(noPort->server.port(), 9000);
        QCOMPARE(noPort->room, uuid); // canonical form
        QVERIFY(!ui::parseRoomLink(QStringLiteral("http://x:1/room/") + uuid));
        QVERIFY(!ui::parseRoomLink(QStringLiteral("chalkroom://x:1/room/not-a-uuid")));
        QVERIFY(!ui::parseRoomLink(QStringLiteral("chalkroom://x:1/rooms/") + uuid));
        QVERIFY(!ui::parseRoomLink(QStringLiteral("chalkroom:///room/") + uuid));
        const auto back =
            ui::parseRoomLink(ui::makeRoomLink(QStringLiteral("10.0.0.5"), 9001, uuid));
        QVERIFY(back.has_value());
        QCOMPARE(back->server.toString(), QStringLiteral("ws://10.0.0.5:9001"));
    }

    void listenAddresses()
    {
        QHostAddress host;
        quint16 port = 0;
        QVERIFY(ui::parseListenAddress(QStringLiteral("0.0.0.0:9100"), &host, &port));
        QCOMPARE(host, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(port, 9100);
        QVERIFY(ui::parseListenAddress(QStringLiteral("[::1]:80"), &host, &port));
        QCOMPARE(host, QHostAddress(QHostAddress::LocalHostIPv6));
        QVERIFY(ui::parseListenAddress(QStringLiteral("9200"), &host, &port));
        QCOMPARE(host, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(port, 9200);
        QVERIFY(!ui::parseListenAddress(QStringLiteral("nohost:12"), &host, &port));
        QVERIFY(!ui::parseListenAddress(QStringLiteral("1.2.3.4:70000"), &host, &port));
        QVERIFY(!ui::parseListenAddress(QStringLiteral("1.2.3.4:"), &host, &port));
    }

    void commandLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("room");
        QTest::addColumn<bool>("ok");
        const QString u = QStringLiteral("5b0c6a4e-8f37-4a4d-9a55-2f0a1c3e9b21");
        QTest::newRow("none") << QStringList{} << QString() << QString() << true;
        QTest::newRow("server") << QStringList{QStringLiteral("--server"),
                                               QStringLiteral("ws://h:1")}
                                << QStringLiteral("ws://h:1") << QString() << true;
        QTest::newRow("bad server")
            << QStringList{QStringLiteral("--server"), QStringLiteral("http://h")}
            << QStringLiteral("http://h") << QString() << false;
        QTest::newRow("room") << QStringList{QStringLiteral("--room"), u} << QString() << u << true;
        QTest::newRow("bad room") << QStringList{QStringLiteral("--room"), QStringLiteral("x")}
                                  << QString() << QString() << false;
        QTest::newRow("link") << QStringList{QStringLiteral("chalkroom://h:7/room/") + u}
                              << QStringLiteral("ws://h:7") << u << true;
        QTest::newRow("link and server")
            << QStringList{QStringLiteral("--server"), QStringLiteral("ws://o:2"),
                           QStringLiteral("chalkroom://h:7/room/") + u}
            << QStringLiteral("ws://o:2") << u << true;
        QTest::newRow("bad link") << QStringList{QStringLiteral("chalkroom://h:7/x")} << QString()
                                  << QString() << false;
        QTest::newRow("bad listen")
            << QStringList{QStringLiteral("--listen"), QStringLiteral("a:b")} << QString()
            << QString() << false;
    }

    void commandLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, server);
        QFETCH(QString, room);
        QFETCH(bool, ok);
        QCommandLineParser parser;
        ui::addStartupOptions(parser);
        QVERIFY(parser.parse(QStringList{QStringLiteral("chalkroom")} + args));
        const ui::StartupOptions o = ui::readStartupOptions(parser);
        QCOMPARE(o.error.isEmpty(), ok);
        if (!ok)
            return;
        QCOMPARE(o.server.toString(), server);
        QCOMPARE(o.room, room);
    }

    void listenOptionTurnsOffTheFallback()
    {
        QCommandLineParser parser;
        ui::addStartupOptions(parser);
        QVERIFY(parser.parse({QStringLiteral("chalkroom"), QStringLiteral("--listen"),
                              QStringLiteral("0.0.0.0:9300")}));
        const ui::StartupOptions o = ui::readStartupOptions(parser);
        QVERIFY(o.error.isEmpty());
        QVERIFY(o.listenGiven);
        QCOMPARE(o.listenPort, 9300);
        QVERIFY(o.server.isEmpty()); // still the embedded server
    }

    void elidedLabelKeepsTheLayout()
    {
        ui::ElidedLabel label;
        const QString longName =
            QStringLiteral("<b>") + QString(200, QLatin1Char('w')) + QStringLiteral("</b>");
        label.setFullText(longName);
        label.resize(120, 30);
        label.show();
        QVERIFY(QTest::qWaitForWindowExposed(&label));
        QCOMPARE(label.fullText(), longName);
        QVERIFY(label.text().endsWith(QChar(0x2026)));
        QVERIFY(label.text().startsWith(QStringLiteral("<b>")));
        QVERIFY(label.fontMetrics().horizontalAdvance(label.text()) <= label.width());
        QVERIFY(label.sizeHint().width() < 400);
        QCOMPARE(label.textFormat(), Qt::PlainText);
        QVERIFY(label.toolTip().contains(QStringLiteral("&lt;b&gt;"))); // escaped, not markup
        label.setFullText(QStringLiteral("a\nb"));
        QCOMPARE(label.fullText(), QStringLiteral("a b")); // one line
        QCOMPARE(ui::plainToolTip(QStringLiteral("<img src=x>")).count(QStringLiteral("<img")), 0);
    }

    void eightDistinctThemes()
    {
        QSet<QString> seen;
        for (int i = 0; i < ui::themes::kCount; ++i) {
            const QString qss = ui::themes::styleSheet(i);
            QVERIFY2(!qss.isEmpty(), qPrintable(QString::number(i)));
            QVERIFY(qss.contains(QStringLiteral("qproperty-ownBubbleColor")));
            QVERIFY(!ui::themes::name(i).isEmpty());
            seen.insert(qss);
        }
        QCOMPARE(seen.size(), ui::themes::kCount);
        QVERIFY(ui::themes::styleSheet(ui::themes::kCount).isEmpty());
        QVERIFY(ui::themes::apply(3));
        QCOMPARE(ui::themes::current(), 3);
        QVERIFY(qApp->styleSheet().contains(QStringLiteral("theme 4:")));
    }

    void themesComeFromTheirStylesheets()
    {
        // Every stylesheet in the resources is a theme, and each theme's name is the one its
        // stylesheet's first line gives: the list is derived from the files, not kept apart.
        const QStringList files = QDir(QStringLiteral(":/themes")).entryList(QDir::Files);
        QCOMPARE(files.size(), ui::themes::kCount);
        for (int i = 0; i < ui::themes::kCount; ++i) {
            QVERIFY(files.contains(QStringLiteral("theme-%1.qss").arg(i + 1)));
            const QString firstLine = ui::themes::styleSheet(i).section(u'\n', 0, 0);
            QVERIFY2(firstLine.startsWith(QStringLiteral("/* Chalkroom theme %1: %2 (")
                                              .arg(i + 1)
                                              .arg(ui::themes::name(i))),
                     qPrintable(firstLine));
        }
        QVERIFY(ui::themes::name(-1).isEmpty());
        QVERIFY(ui::themes::name(ui::themes::kCount).isEmpty());
    }

    void emojiHaveAFont()
    {
        // Without a font that has them (fonts-noto-color-emoji, which scripts/deps.sh installs
        // and the package depends on) emoji show as empty boxes: some installed family must
        // have a glyph for them, for Qt's font fallback to find.
        const QStringList families = QFontDatabase::families();
        const auto covered = [&](char32_t c) {
            return std::any_of(families.begin(), families.end(), [c](const QString &family) {
                return QFontMetrics(QFont(family)).inFontUcs4(c);
            });
        };
        QVERIFY2(covered(U'\U0001F44D'), "no font has 👍 (U+1F44D): install fonts-noto-color-emoji");
        QVERIFY(covered(U'\U0001F600'));
    }

    void enterSendsShiftEnterBreaksTheLine()
    {
        ui::MessageInput input;
        QSignalSpy submit(&input, &ui::MessageInput::submitRequested);
        QTest::keyClicks(&input, QStringLiteral("a"));
        QTest::keyClick(&input, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(&input, QStringLiteral("b"));
        QCOMPARE(submit.count(), 0);
        QCOMPARE(input.toPlainText(), QStringLiteral("a\nb"));
        QTest::keyClick(&input, Qt::Key_Return);
        QTest::keyClick(&input, Qt::Key_Enter); // keypad
        QCOMPARE(submit.count(), 2);
        QCOMPARE(input.toPlainText(), QStringLiteral("a\nb")); // the pane clears it after sending
    }

    void headerNameEditing()
    {
        ui::HeaderBar header;
        header.setUserName(QStringLiteral("ada"));
        header.show();
        QVERIFY(QTest::qWaitForWindowExposed(&header));
        QSignalSpy edited(&header, &ui::HeaderBar::userNameEdited);
        header.beginNameEdit();
        QTest::keyClicks(header.nameEditor(), QStringLiteral("grace"));
        QTest::keyClick(header.nameEditor(), Qt::Key_Escape);
        QVERIFY(!header.isEditingName());
        QCOMPARE(edited.count(), 0);
        header.beginNameEdit();
        QTest::keyClick(header.nameEditor(), Qt::Key_Return); // unchanged: nothing to send
        QCOMPARE(edited.count(), 0);
        QTest::mouseClick(header.nameLabel(), Qt::LeftButton);
        QVERIFY(header.isEditingName());
        header.nameEditor()->selectAll();
        QTest::keyClicks(header.nameEditor(), QStringLiteral("  grace   hopper "));
        QTest::keyClick(header.nameEditor(), Qt::Key_Return);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.first().first().toString(), QStringLiteral("grace hopper"));
        QCOMPARE(header.nameEditor()->maxLength(), protocol::Limits{}.userName);
    }

    void mutedSoundsDoNotPlay()
    {
        ui::SoundPlayer sounds;
        sounds.playMessage(); // no crash whether or not there is an audio device
        sounds.playOtherRoom();
        QCOMPARE(sounds.messageSounds(), 1);
        QCOMPARE(sounds.otherRoomSounds(), 1);
        sounds.setMuted(true);
        sounds.playMessage();
        sounds.playOtherRoom();
        QCOMPARE(sounds.messageSounds(), 1);
        QCOMPARE(sounds.otherRoomSounds(), 1);
    }

    void embeddedServerFallsBackAndRelistens()
    {
        QTcpServer blocker; // holds a port, as another program on 9000 would
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = blocker.serverPort();
        ui::ServerHost host(QStringLiteral("memory"));
        QVERIFY(!QCoro::waitFor(host.start(QHostAddress(QHostAddress::LocalHost), taken, false)));
        QVERIFY(!host.errorString().isEmpty());
        QVERIFY(!host.isListening());
        QSignalSpy listening(&host, &ui::ServerHost::listening);
        QVERIFY(QCoro::waitFor(host.start(QHostAddress(QHostAddress::LocalHost), taken, true)));
        QVERIFY(host.isListening());
        QVERIFY(host.port() != 0 && host.port() != taken);
        QCOMPARE(listening.count(), 1);
        QCOMPARE(host.localUrl().host(), QStringLiteral("127.0.0.1"));
        const quint16 first = host.port();
        // Asking for a taken port keeps the server where it was.
        QVERIFY(!QCoro::waitFor(host.relisten(QHostAddress(QHostAddress::LocalHost), taken)));
        QVERIFY(host.isListening());
        QCOMPARE(host.port(), first);
        // Sharing: a wildcard address, while this process still connects over loopback.
        QVERIFY(QCoro::waitFor(host.relisten(QHostAddress(QHostAddress::AnyIPv4), 0)));
        QCOMPARE(host.host(), QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(host.localUrl().host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(host.localUrl().port(), int(host.port()));
        QCoro::waitFor(host.stop());
        QVERIFY(!host.isListening());
    }

    void logTableFollowsTheRing()
    {
        client::LogModel log(nullptr, 3);
        ui::LogTableModel table(&log);
        const QDateTime t = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 5; ++i)
            log.append(
                i % 2 ? client::ChatClient::Direction::Received
                      : client::ChatClient::Direction::Sent,
                QStringLiteral("call"), QStringLiteral("name_%1").arg(i),
                QStringLiteral("{\"payload\":{\"message\":\"x\",\"n\":%1},\"type\":\"call\"}")
                    .arg(i),
                t);
        QCOMPARE(table.rowCount(), 3);
        QCOMPARE(table.columnCount(), int(ui::LogTableModel::ColumnCount));
        QCOMPARE(table.index(0, ui::LogTableModel::NameColumn).data().toString(),
                 QStringLiteral("name_2"));
        QCOMPARE(table.index(2, ui::LogTableModel::NameColumn).data().toString(),
                 QStringLiteral("name_4"));
        QCOMPARE(table.index(2, ui::LogTableModel::DirectionColumn).data().toString(),
                 QStringLiteral("→"));
        QCOMPARE(table.index(1, ui::LogTableModel::DirectionColumn).data().toString(),
                 QStringLiteral("←"));
        QCOMPARE(table.index(2, ui::LogTableModel::MessageColumn).data().toString(),
                 QStringLiteral("{\"n\":4}"));
    }

    void logSaysWhatHappenedInWords()
    {
        const auto rooms = [](const QString &uuid) {
            return uuid == QLatin1String("r1") ? QStringLiteral("Team") : QString();
        };
        const auto summary = [&](bool sent, const char *type, const char *name,
                                 const char *payload) {
            const QJsonObject p = QJsonDocument::fromJson(payload).object();
            return ui::logSummary(sent, QLatin1String(type), QLatin1String(name), p, rooms);
        };
        QCOMPARE(summary(false, "result", "message_created",
                         R"({"object":{"uuid":"m","body":"hi  there\n","room_uuid":"r1",
                             "user":{"uuid":"u","name":"Bob"}}})"),
                 QStringLiteral("Bob in “Team”: hi there"));
        QCOMPARE(summary(true, "call", "enter_room", R"({"uuid":"r1"})"),
                 QStringLiteral("You enter “Team”"));
        QCOMPARE(summary(true, "call", "enter_room", R"({"uuid":"unknown"})"),
                 QStringLiteral("You enter a room"));
        QCOMPARE(
            summary(false, "result", "room_entered", R"({"object":{"uuid":"r2","name":"Design"}})"),
            QStringLiteral("You entered “Design”"));
        QCOMPARE(summary(false, "result", "drawing_got",
                         R"({"object":{"uuid":"d","lines":[]},
                             "cleared_by":{"uuid":"u","name":"Bob"}})"),
                 QStringLiteral("Bob cleared the board"));
        QCOMPARE(
            summary(false, "result", "drawing_got", R"({"object":{"uuid":"d","lines":[{},{}]}})"),
            QStringLiteral("The board, with 2 stroke(s)"));
        QCOMPARE(summary(false, "result", "user_typing", R"({"object":{"uuid":"u","name":"Ann"}})"),
                 QStringLiteral("Ann is typing"));
        QCOMPARE(summary(false, "error", "no_selected_room",
                         R"({"detail":"enter a room first","call":"create_message"})"),
                 QStringLiteral("create_message refused (no_selected_room): enter a room first"));
        // A login names the account but never shows the (already redacted) password.
        QCOMPARE(summary(true, "call", "login", R"({"name":"ann","password":"<redacted>"})"),
                 QStringLiteral("You sign in as “ann”"));
        // A statement it has no words for keeps its name.
        QCOMPARE(summary(false, "result", "something_new", R"({})"),
                 QStringLiteral("something_new"));
        // Peer text stays one bounded line.
        const QString longBody = QString(500, QLatin1Char('x'));
        const QJsonObject big{{QStringLiteral("body"), longBody}};
        QVERIFY(ui::logSummary(true, QStringLiteral("call"), QStringLiteral("create_message"), big)
                    .size() < 200);
    }

    void logPaneFiltersSummariesAndShowsJsonOnDemand()
    {
        client::LogModel log;
        ui::LogPane pane(&log);
        pane.setRoomNames([](const QString &) { return QStringLiteral("Team"); });
        const QDateTime t = QDateTime::currentDateTimeUtc();
        log.append(client::ChatClient::Direction::Received, QStringLiteral("result"),
                   QStringLiteral("message_created"),
                   QStringLiteral(R"({"payload":{"message":"message_created","object":{)"
                                  R"("body":"hello","room_uuid":"r","user":{"name":"Bob"}}},)"
                                  R"("type":"result"})"),
                   t);
        log.append(client::ChatClient::Direction::Sent, QStringLiteral("call"),
                   QStringLiteral("typing"),
                   QStringLiteral(R"({"payload":{"message":"typing"},"type":"call"})"), t);
        pane.resize(800, 400);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QCOMPARE(pane.proxy()->index(0, ui::LogTableModel::SummaryColumn).data().toString(),
                 QStringLiteral("Bob in “Team”: hello"));
        // The JSON column waits until asked for.
        QVERIFY(pane.view()->isColumnHidden(ui::LogTableModel::MessageColumn));
        QVERIFY(pane.view()->isColumnHidden(ui::LogTableModel::TypeColumn));
        pane.showJsonBox()->setChecked(true);
        QVERIFY(!pane.view()->isColumnHidden(ui::LogTableModel::MessageColumn));
        QVERIFY(!pane.view()->isColumnHidden(ui::LogTableModel::TypeColumn));
        QVERIFY(pane.view()->columnWidth(ui::LogTableModel::MessageColumn) > 100);
        pane.showJsonBox()->setChecked(false);
        QVERIFY(pane.view()->isColumnHidden(ui::LogTableModel::MessageColumn));
        // The filter finds words of the summary (a sender's name is nowhere else in words).
        QTest::keyClicks(pane.filterField(), QStringLiteral("bob in"));
        QCOMPARE(pane.proxy()->rowCount(), 1);
        pane.filterField()->clear();
        QCOMPARE(pane.proxy()->rowCount(), 2);
    }
};

QTEST_MAIN(TestUiUnits)
#include "tst_ui_units.moc"
