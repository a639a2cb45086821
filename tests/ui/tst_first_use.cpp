// What a new user tripped on (issue 12, items 2-6), with the real MainWindow (A at 800 × 500)
// and a second window on one in-process ChatServer over real sockets. The functions run in
// order and share the parties: New asks for a name, Delete asks first, every board tool is
// reachable in a narrow window, a reconnect keeps the tab and the selected room, the header
// counts the reconnect down and offers "Reconnect now", the sound button tells the truth;
// the room search ignores accents and says when nothing matches (item 8).
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "ui/board/board_view.h"
#include "ui/board/board_widget.h"
#include "ui/elided_label.h"
#include "ui/header_bar.h"
#include "ui/room_dialogs.h"
#include "ui/rooms_pane.h"
#include "ui_test_support.h"

#include <QAction>
#include <QApplication>
#include <QAudioDevice>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMediaDevices>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>
#include <QWebSocket>

using namespace chalk;
using client::RoomListModel;

namespace {
constexpr int kTimeout = 10000;

QStringList roomNames(const RoomListModel *model)
{
    QStringList out;
    for (int i = 0; i < model->rowCount(); ++i)
        out << model->room(i).name;
    return out;
}

// The seconds of "retrying in N s" at the end of a text, or -1.
int retrySeconds(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("retrying in (\\d+) s$"));
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// Whether `w` is shown and lies wholly inside `area` (not clipped, not behind an overflow).
bool shownInside(const QWidget *w, const QWidget *area)
{
    if (!w || !w->isVisibleTo(area))
        return false;
    const QRect r(w->mapTo(area, QPoint(0, 0)), w->size());
    return area->rect().contains(r);
}
} // namespace

class TestFirstUse : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        QVERIFY(m_parties.start(QSize(800, 500)));
        m_rooms = m_a.window->roomsPane();
        m_a.window->leftTabs()->setCurrentWidget(m_rooms);
    }

    void newAsksForANameAndCancelCreatesNothing()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_rooms->newButton()->isEnabled(), kTimeout);
        QTest::mouseClick(m_rooms->newButton(), Qt::LeftButton);
        ui::NewRoomDialog *dialog = openDialog<ui::NewRoomDialog>();
        QVERIFY(dialog);
        QCOMPARE(dialog->name(), QStringLiteral("Room 1")); // a sensible default
        QVERIFY(dialog->errorText().isEmpty());
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_a.window->findChild<ui::NewRoomDialog *>(), kTimeout);

        // Bad names are told, and cannot be sent.
        QTest::mouseClick(m_rooms->newButton(), Qt::LeftButton);
        QVERIFY((dialog = openDialog<ui::NewRoomDialog>()));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QLineEdit *edit = dialog->nameEdit();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("   "));
        QVERIFY(dialog->errorText().contains(QStringLiteral("needs a name")));
        QVERIFY(!ok->isEnabled());
        QTest::keyClick(edit, Qt::Key_Return); // refused, the dialog stays
        QVERIFY(dialog->isVisible());
        edit->setText(QString(70, QLatin1Char('x')));
        QVERIFY(dialog->errorText().contains(QStringLiteral("at most 64")));
        QVERIFY(!ok->isEnabled());
        edit->setText(QStringLiteral("Design"));
        QVERIFY(dialog->errorText().isEmpty());
        QVERIFY(ok->isEnabled());
        QTest::keyClick(edit, Qt::Key_Return);

        // Only the named room exists: the cancelled one was never created.
        QTRY_COMPARE_WITH_TIMEOUT(m_a.window->roomModel()->rowCount(), 1, kTimeout);
        QCOMPARE(roomNames(m_a.window->roomModel()), QStringList{QStringLiteral("Design")});
        m_room = m_a.window->roomModel()->room(0).uuid;
        QTRY_COMPARE_WITH_TIMEOUT(m_rooms->selectedRoom(), m_room, kTimeout);

        // A name that is taken is told too.
        QTest::mouseClick(m_rooms->newButton(), Qt::LeftButton);
        QVERIFY((dialog = openDialog<ui::NewRoomDialog>()));
        QCOMPARE(dialog->name(), QStringLiteral("Room 2"));
        dialog->nameEdit()->setText(QStringLiteral("design"));
        QVERIFY(dialog->errorText().contains(QStringLiteral("already")));
        dialog->reject();
    }

    void deleteAsksFirstNamingTheRoom()
    {
        QSignalSpy created(m_a.client.get(), &client::ChatClient::roomCreated);
        QVERIFY(m_a.client->createRoom(QStringLiteral("Old notes")));
        QVERIFY(created.wait(kTimeout));
        const QString old = created.first().at(0).value<protocol::Room>().uuid;
        m_rooms->selectRoom(old);
        QTRY_VERIFY_WITH_TIMEOUT(m_rooms->deleteButton()->isEnabled(), kTimeout);

        QTest::mouseClick(m_rooms->deleteButton(), Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = m_a.window->findChild<QMessageBox *>(QStringLiteral("DeleteRoomConfirm"))) &&
                box->isVisible(),
            kTimeout);
        QVERIFY(box->text().contains(QStringLiteral("Old notes")));
        QVERIFY(box->informativeText().contains(QStringLiteral("history")));
        QCOMPARE(box->textFormat(), Qt::PlainText);
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        box->button(QMessageBox::Cancel)->click();
        // A round trip after the cancel: the list comes back with the room still in it.
        QSignalSpy listed(m_a.client.get(), &client::ChatClient::roomsListed);
        QVERIFY(m_a.client->listRooms());
        QVERIFY(listed.wait(kTimeout));
        QVERIFY(m_a.window->roomModel()->indexOf(old) >= 0);

        m_rooms->selectRoom(old);
        QTest::mouseClick(m_rooms->deleteButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = m_a.window->findChild<QMessageBox *>(QStringLiteral("DeleteRoomConfirm"))) &&
                box->isVisible(),
            kTimeout);
        box->findChild<QPushButton *>(QStringLiteral("ConfirmDeleteButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_a.window->roomModel()->indexOf(old), -1, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_b.window->roomModel()->indexOf(old), -1, kTimeout);
    }

    void everyBoardToolIsReachableAt800px()
    {
        for (const int width : {800, 1180}) {
            m_a.window->resize(width, 500);
            m_a.window->rightTabs()->setCurrentWidget(m_a.window->drawingTab());
            auto *board = qobject_cast<ui::BoardWidget *>(m_a.window->drawingTab());
            QVERIFY(board);
            QTRY_COMPARE_WITH_TIMEOUT(m_a.window->width(), width, kTimeout);
            QApplication::processEvents();
            const QList<QAction *> actions = board->toolActions();
            // pen, eraser, undo, redo, clear, export, fit; 18 colours
            QCOMPARE(actions.size(), 7 + 18);
            const QList<QToolButton *> buttons = board->findChildren<QToolButton *>();
            for (QAction *action : actions) {
                QVERIFY(action);
                const QToolButton *shown = nullptr;
                for (const QToolButton *b : buttons) {
                    if (b->defaultAction() == action && shownInside(b, board))
                        shown = b;
                }
                QVERIFY2(shown, qPrintable(QStringLiteral("%1 at %2 px: %3")
                                               .arg(action->objectName())
                                               .arg(width)
                                               .arg(action->text())));
            }
            QVERIFY(shownInside(board->findChild<QToolButton *>(QStringLiteral("boardCustomColor")),
                                board));
            QVERIFY(
                shownInside(board->findChild<QComboBox *>(QStringLiteral("boardWidth")), board));
            // The board itself keeps most of the room.
            QVERIFY(board->view()->height() > board->height() / 2);
        }
        m_a.window->resize(800, 500);
    }

    void reconnectKeepsTheTabAndTheSelectedRoom()
    {
        QSignalSpy entered(m_a.client.get(), &client::ChatClient::roomEntered);
        QVERIFY(m_a.client->enterRoom(m_room));
        QVERIFY(entered.wait(kTimeout));
        m_a.window->rightTabs()->setCurrentWidget(m_a.window->drawingTab());
        m_rooms->selectRoom(m_room);
        QVERIFY(m_rooms->renameButton()->isEnabled());

        // The link drops (the socket is cut); the client reconnects, resumes and re-enters.
        entered.clear();
        QSignalSpy listed(m_a.client.get(), &client::ChatClient::roomsListed);
        m_a.client->socket()->abort();
        QTRY_VERIFY_WITH_TIMEOUT(entered.count() >= 1 && listed.count() >= 1, kTimeout);
        QCOMPARE(m_a.client->currentRoomUuid(), m_room);
        QCOMPARE(m_a.window->rightTabs()->currentWidget(), m_a.window->drawingTab());
        QCOMPARE(m_rooms->selectedRoom(), m_room);
        QVERIFY(m_rooms->renameButton()->isEnabled());
        QVERIFY(m_rooms->colorButton()->isEnabled());
        QVERIFY(m_rooms->deleteButton()->isEnabled());
    }

    void reconnectCountsDownAndCanBeHurried()
    {
        // Long waits, so that only "Reconnect now" can bring the link back within the test.
        client::ClientOptions slow = m_a.client->options();
        slow.backoffMin = std::chrono::seconds(60);
        slow.backoffMax = std::chrono::seconds(60);
        m_a.client->setOptions(slow);
        const quint16 port = m_parties.server->port();
        QCoro::waitFor(m_parties.server->stop());
        m_parties.server.reset();

        ui::HeaderBar *h = m_a.window->header();
        ui::ElidedLabel *status = h->statusLabel();
        QTRY_VERIFY_WITH_TIMEOUT(retrySeconds(h->statusText()) > 0, kTimeout);
        QVERIFY(h->reconnectButton()->isVisible());
        auto *menuAction = m_a.window->findChild<QAction *>(QStringLiteral("ReconnectNowAction"));
        QVERIFY(menuAction && menuAction->isEnabled()); // also in the Chalkroom menu
        // It counts down, once a second (waited for, not timed).
        const int first = retrySeconds(h->statusText());
        QTRY_VERIFY_WITH_TIMEOUT(
            retrySeconds(h->statusText()) > 0 && retrySeconds(h->statusText()) < first, kTimeout);

        // "Reconnect now" tries at once; the server is still away, so the header says why,
        // and the end of the text (the countdown) stays in view however long the reason is.
        QTest::mouseClick(h->reconnectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(h->statusText().startsWith(QStringLiteral("Cannot reach")) &&
                                     retrySeconds(h->statusText()) > 0,
                                 kTimeout);
        QVERIFY2(retrySeconds(status->text()) > 0, qPrintable(status->text()));
        if (status->text() != status->fullText()) // elided: the whole text is in the tooltip
            QVERIFY(status->toolTip().contains(QStringLiteral("Cannot reach")));

        m_parties.server = test::startServer({}, port);
        QVERIFY(m_parties.server);
        QVERIFY(!m_a.client->isConnected());
        QTest::mouseClick(h->reconnectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_a.client->isConnected(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!h->reconnectButton()->isVisible(), kTimeout);
        QVERIFY(!menuAction->isEnabled());
    }

    void defaultBackoffSuitsALocalServer()
    {
        // At most 10 s between attempts by default (the reason is in client_options.h).
        QVERIFY(client::ClientOptions{}.backoffMax <= std::chrono::seconds(10));
    }

    void soundButtonTellsTheTruth()
    {
        QToolButton *mute = m_a.window->header()->muteButton();
        if (QMediaDevices::defaultAudioOutput().isNull()) {
            // What the log says ("no audio output device: notification sounds are off").
            QVERIFY(!mute->isEnabled());
            QVERIFY2(mute->toolTip().contains(QStringLiteral("unavailable")),
                     qPrintable(mute->toolTip()));
            QVERIFY(!m_a.window->header()->isSoundAvailable());
        } else {
            QVERIFY(mute->isEnabled());
            QVERIFY(mute->toolTip().startsWith(QStringLiteral("Sounds are o")));
        }
    }

    void roomSearchIgnoresAccentsAndSaysWhenNothingMatches()
    {
        QTRY_VERIFY2_WITH_TIMEOUT(m_a.client->isReady(), qPrintable(m_a.client->stateText()),
                                  kTimeout);
        QSignalSpy created(m_a.client.get(), &client::ChatClient::roomCreated);
        QVERIFY2(m_a.client->createRoom(QStringLiteral("Café crème")),
                 qPrintable(m_a.client->stateText()));
        QVERIFY(created.wait(kTimeout));
        m_a.window->leftTabs()->setCurrentWidget(m_rooms);
        QLineEdit *search = m_rooms->searchField();
        search->clear();
        QTest::keyClicks(search, QStringLiteral("cafe creme"));
        QCOMPARE(m_rooms->proxy()->rowCount(), 1);
        QCOMPARE(m_rooms->proxy()->index(0, 0).data(RoomListModel::NameRole).toString(),
                 QStringLiteral("Café crème"));
        QVERIFY(!m_rooms->noMatchLabel()->isVisible());
        search->clear();
        QTest::keyClicks(search, QStringLiteral("zebra"));
        QCOMPARE(m_rooms->proxy()->rowCount(), 0);
        QVERIFY(m_rooms->noMatchLabel()->isVisible());
        QVERIFY(m_rooms->noMatchLabel()->text().contains(QStringLiteral("“zebra”")));
        search->clear();
        QVERIFY(!m_rooms->noMatchLabel()->isVisible());
    }

    void headerNameShowsItCanBeChanged()
    {
        ui::HeaderBar *h = m_a.window->header();
        QVERIFY(h->nameEditButton()->isVisible());
        QVERIFY(h->nameLabel()->toolTip().contains(QStringLiteral("change your name")));
        // A long name is elided; the tooltip has it whole.
        const QString longName = QStringLiteral("A rather long name that does not fit at all "
                                                "in an 800 pixel window");
        h->setUserName(longName);
        QApplication::processEvents();
        QVERIFY(h->nameLabel()->text() != longName);
        QVERIFY(h->nameLabel()->toolTip().contains(longName.left(30)));
        QTest::mouseClick(h->nameEditButton(), Qt::LeftButton);
        QVERIFY(h->isEditingName());
        QTest::keyClick(h->nameEditor(), Qt::Key_Escape);
        QVERIFY(!h->isEditingName());
    }

    void cleanupTestCase() { m_parties.stop(); }

private:
    template <typename Dialog> Dialog *openDialog()
    {
        Dialog *d = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (d = m_a.window->findChild<Dialog *>()) && d->isVisible(); }, kTimeout);
        return d && d->isVisible() ? d : nullptr;
    }

    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;
    ui::RoomsPane *m_rooms = nullptr;
    QString m_room;
};

QTEST_MAIN(TestFirstUse)
#include "tst_first_use.moc"
