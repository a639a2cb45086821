#include "main_window.h"

#include "account_menu.h"
#include "app_settings.h"
#include "attention.h"
#include "blocked_users.h"
#include "board/board_widget.h"
#include "client/board/board_model.h"
#include "client/board/chat_board_link.h"
#include "client/chat_client.h"
#include "client/log_model.h"
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client/typing_tracker.h"
#include "client/user_list_model.h"
#include "direct_names.h"
#include "header_bar.h"
#include "log_pane.h"
#include "message_input.h"
#include "message_view.h"
#include "messages_pane.h"
#include "notice.h"
#include "rooms_pane.h"
#include "server_host.h"
#include "share_dialog.h"
#include "sound_player.h"
#include "system_appearance.h"
#include "theme_manager.h"
#include "themed_icon.h"
#include "ui_logging.h"
#include "users_pane.h"

#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace chalk::ui {

using client::ChatClient;

MainWindow::MainWindow(client::ChatClient *client, std::shared_ptr<client::SettingsStore> settings,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_settings(settings ? std::move(settings) : std::make_shared<client::QSettingsStore>())
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Chalkroom"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/chalkroom.png")));

    m_roomModel = new client::RoomListModel(client, this);
    m_messageModel = new client::MessageListModel(client, this);
    m_userModel = new client::UserListModel(client, this);
    m_logModel = new client::LogModel(client, 5000, this);
    m_typing = new client::TypingTracker(client, std::chrono::seconds(4), this);
    m_sounds = new SoundPlayer(this);
    m_attention = new Attention(client, m_roomModel, m_sounds, m_settings, this);
    m_directNames = new DirectNames(client, m_roomModel, this);
    m_attention->setRoomNamer(
        [names = m_directNames](const protocol::Room &room) { return names->nameOf(room); });
    m_blocked = new BlockedUsers(client, m_settings, this);

    auto *central = new QWidget(this);
    central->setObjectName(QStringLiteral("CentralWidget"));
    central->setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    m_header = new HeaderBar(central);
    layout->addWidget(m_header);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("MainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(8);
    m_leftTabs = new QTabWidget(m_splitter);
    m_leftTabs->setObjectName(QStringLiteral("LeftTabs"));
    m_log = new LogPane(m_logModel, m_leftTabs);
    m_log->setRoomNames([rooms = QPointer(m_roomModel)](const QString &uuid) {
        const auto room = rooms ? rooms->roomByUuid(uuid) : std::nullopt;
        return room ? room->name : QString();
    });
    m_rooms = new RoomsPane(client, m_roomModel, m_directNames, m_blocked, m_leftTabs);
    m_leftTabs->addTab(m_log, tr("Log"));
    m_leftTabs->addTab(m_rooms, tr("Rooms"));
    m_leftTabs->setCurrentWidget(m_rooms);
    m_leftTabs->setMinimumWidth(260);

    m_rightTabs = new QTabWidget(m_splitter);
    m_rightTabs->setObjectName(QStringLiteral("RightTabs"));
    m_messages = new MessagesPane(client, m_messageModel, m_typing, m_rightTabs);
    m_messages->view()->setRoomModel(m_roomModel); // the unread divider on entering a room
    m_messages->setDirectNames(m_directNames);
    m_users = new UsersPane(m_userModel, client, m_blocked, m_rightTabs);
    m_drawing = createDrawingTab();
    m_rightTabs->addTab(m_messages, tr("Messages"));
    m_rightTabs->addTab(m_users, tr("Users"));
    m_rightTabs->addTab(m_drawing, tr("Drawing"));
    m_rightTabs->setMinimumWidth(360);
    m_splitter->addWidget(m_leftTabs);
    m_splitter->addWidget(m_rightTabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    createMenus();
    connect(m_attention, &Attention::unreadChanged, this, &MainWindow::updateTitle);
    connect(m_attention, &Attention::openRoomRequested, this, [this](const QString &uuid) {
        if (!m_client)
            return;
        m_leftTabs->setCurrentWidget(m_rooms);
        m_rightTabs->setCurrentWidget(m_messages);
        if (uuid != m_client->currentRoomUuid())
            m_client->enterRoom(uuid);
    });

    connect(m_header, &HeaderBar::themeChanged, this, &MainWindow::applyTheme);
    connect(m_header, &HeaderBar::mutedChanged, this, [this](bool muted) {
        m_sounds->setMuted(muted);
        if (m_muteAction)
            m_muteAction->setChecked(muted);
        settings::sound.set(*m_settings, !muted);
    });
    connect(m_header, &HeaderBar::userNameEdited, this, [this](const QString &name) {
        if (m_client)
            m_client->changeUserName(name);
    });
    connect(m_header, &HeaderBar::reconnectRequested, this, [this] {
        if (m_client)
            m_client->reconnectNow();
    });
    connect(m_sounds, &SoundPlayer::unavailable, this, [this] {
        m_header->setSoundAvailable(false);
        if (m_muteAction) {
            m_muteAction->setEnabled(false);
            m_muteAction->setText(tr("Sounds unavailable (no audio device)"));
        }
    });
    m_noticeTimer.setSingleShot(true);
    connect(&m_noticeTimer, &QTimer::timeout, this, [this] {
        m_notice.clear();
        updateStatus();
    });

    if (client) {
        connect(client, &ChatClient::stateChanged, this, &MainWindow::updateStatus);
        connect(client, &ChatClient::ready, this, &MainWindow::onReady);
        connect(client, &ChatClient::userChanged, this, &MainWindow::onUserChanged);
        connect(client, &ChatClient::roomCreated, this, &MainWindow::onRoomChanged);
        connect(client, &ChatClient::roomChanged, this, &MainWindow::onRoomChanged);
        connect(client, &ChatClient::callErrorReceived, this, &MainWindow::onError);
        connect(client, &ChatClient::roomEntered, this, [this](const protocol::Room &room) {
            m_roomName = m_directNames->nameOf(room);
            if (room.isDirect()) // opened from Users: shown where it is listed
                m_rooms->selectRoom(room.uuid);
            settings::lastRoom.set(*m_settings, room.uuid);
            m_muteRoomAction->setEnabled(true);
            m_muteRoomAction->setChecked(m_attention->isRoomMuted(room.uuid));
            // Another room opens on its messages; the same room again (a reconnect
            // re-enters it) leaves the tab the user is on, e.g. the Drawing.
            if (room.uuid != m_shownRoom)
                m_rightTabs->setCurrentWidget(m_messages);
            m_shownRoom = room.uuid;
            updateTitle();
        });
        connect(client, &ChatClient::roomLeft, this, [this] {
            m_muteRoomAction->setEnabled(false);
            m_shownRoom.clear();
            m_roomName.clear();
            updateTitle();
        });
        connect(client, &ChatClient::roomDeleted, this, [this](const protocol::Room &room) {
            if (room.uuid == m_shownRoom)
                m_shownRoom.clear();
            if (settings::lastRoom.get(*m_settings) == room.uuid)
                settings::lastRoom.remove(*m_settings);
        });
        connect(m_directNames, &DirectNames::changed, this, [this] {
            if (const auto room = m_roomModel->roomByUuid(m_shownRoom))
                onRoomChanged(*room);
        });
        if (client->isReady())
            onReady();
    }
    restoreSettings();
    updateStatus();
    // Asked once at start, so the mute button never promises sounds that cannot play.
    m_sounds->probe();
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::createDrawingTab()
{
    // The board model follows the client's room; the link is the only place the two meet.
    auto *model = new board::BoardModel(this);
    auto *link = new board::ChatBoardLink(m_client, model, model);
    auto *widget = new BoardWidget(model, this);
    connect(link, &board::ChatBoardLink::lineRefused, widget,
            [widget](const QString &, const QString &detail) { widget->showNotice(detail); });
    connect(link, &board::ChatBoardLink::offlineRefused, widget, &BoardWidget::showNotice);
    connect(link, &board::ChatBoardLink::cleared, widget, &BoardWidget::showCleared);
    connect(link, &board::ChatBoardLink::offlineChanged, widget, &BoardWidget::setOffline);
    widget->setOffline(link->isOffline(), link->waitingCount());
    return widget;
}

void MainWindow::createMenus()
{
    QMenu *app = menuBar()->addMenu(tr("&Chalkroom"));
    m_shareAction =
        app->addAction(themes::icon(QStringLiteral(":/icons/share.png"), themes::IconPlace::Pane),
                       tr("&Share on network…"), this, &MainWindow::shareOnNetwork);
    m_shareAction->setEnabled(false);
    m_shareAction->setToolTip(tr("Let others on your network join this Chalkroom"));
    app->addAction(tr("C&onnect to server…"), this, &MainWindow::connectToServerDialog);
    // The same as the header's button: enabled while a reconnect waits.
    m_reconnectAction = app->addAction(tr("&Reconnect now"), this, [this] {
        if (m_client)
            m_client->reconnectNow();
    });
    m_reconnectAction->setObjectName(QStringLiteral("ReconnectNowAction"));
    m_reconnectAction->setEnabled(false);
    app->addAction(themes::icon(QStringLiteral(":/icons/save.png"), themes::IconPlace::Pane),
                   tr("Save &log…"), this, [this] { m_log->saveWithDialog(); });
    app->addSeparator();
    QAction *quit = app->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_accountMenu = new AccountMenu(m_client, m_settings, this);
    menuBar()->addMenu(m_accountMenu);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_muteAction = view->addAction(tr("&Mute sounds"));
    m_muteAction->setCheckable(true);
    connect(m_muteAction, &QAction::toggled, m_header, &HeaderBar::setMuted);
    m_dndAction = view->addAction(tr("&Do not disturb"));
    m_dndAction->setCheckable(true);
    m_dndAction->setChecked(m_attention->doNotDisturb());
    m_dndAction->setToolTip(tr("No sounds and no notifications; unread counts stay"));
    connect(m_dndAction, &QAction::toggled, m_attention, &Attention::setDoNotDisturb);
    m_muteRoomAction = view->addAction(tr("Mute &this room"));
    m_muteRoomAction->setCheckable(true);
    m_muteRoomAction->setEnabled(false);
    m_muteRoomAction->setToolTip(tr("No sounds and no notifications for this room"));
    connect(m_muteRoomAction, &QAction::toggled, this, [this](bool muted) {
        if (m_client && !m_client->currentRoomUuid().isEmpty())
            m_attention->setRoomMuted(m_client->currentRoomUuid(), muted);
    });
    QMenu *themesMenu = view->addMenu(tr("&Theme"));
    for (int i = 0; i < themes::kCount; ++i) {
        themesMenu->addAction(themes::name(i), this, [this, i] { m_header->setTheme(i); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Chalkroom"), this, [this] {
        showNotice(this, QMessageBox::Information, tr("About Chalkroom"),
                   tr("Chalkroom %1\nChat rooms with a shared drawing board.\nQt %2")
                       .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::setServerHost(ServerHost *host)
{
    m_server = host;
    m_shareAction->setEnabled(host != nullptr);
    if (host)
        connect(host, &ServerHost::listening, this, &MainWindow::updateStatus);
    updateStatus();
}

void MainWindow::setInitialRoom(const QString &uuid)
{
    m_initialRoom = uuid;
}

void MainWindow::restoreSettings()
{
    const client::SettingsStore &s = *m_settings;
    // A first start follows the desktop's dark preference; later ones, the user's choice.
    const int theme = settings::theme.isSet(s) ? themes::clampIndex(settings::theme.get(s))
                                               : themes::firstStartIndex(systemPrefersDark());
    m_header->setTheme(theme);
    applyTheme(theme);
    const bool soundOn = settings::sound.get(s);
    m_header->setMuted(!soundOn);
    m_sounds->setMuted(!soundOn);
    if (!restoreGeometry(settings::geometry.get(s)))
        resize(1180, 760);
    const QByteArray split = settings::splitter.get(s);
    if (split.isEmpty() || !m_splitter->restoreState(split))
        m_splitter->setSizes({440, 740});
    m_leftTabs->setCurrentIndex(std::clamp(settings::leftTab.get(s), 0, m_leftTabs->count() - 1));
    m_rightTabs->setCurrentIndex(
        std::clamp(settings::rightTab.get(s), 0, m_rightTabs->count() - 1));
}

void MainWindow::saveSettings()
{
    client::SettingsStore &s = *m_settings;
    settings::geometry.set(s, saveGeometry());
    settings::splitter.set(s, m_splitter->saveState());
    settings::leftTab.set(s, m_leftTabs->currentIndex());
    settings::rightTab.set(s, m_rightTabs->currentIndex());
    settings::theme.set(s, m_header->theme());
    settings::sound.set(s, !m_header->isMuted());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::applyTheme(int index)
{
    themes::apply(index);
    settings::theme.set(*m_settings, themes::clampIndex(index));
}

void MainWindow::updateStatus()
{
    if (!m_client)
        return;
    QString text = m_client->stateText();
    if (text.isEmpty())
        text = m_client->isConnected() ? tr("Connected") : tr("Not connected");
    if (m_server && m_server->isListening()) {
        const QHostAddress h = m_server->host();
        if (!h.isLoopback())
            text += tr(" · others can join at ws://%1:%2")
                        .arg(h == QHostAddress::AnyIPv4 || h == QHostAddress::Any
                                 ? ShareDialog::lanAddress()
                                 : h.toString())
                        .arg(m_server->port());
    }
    if (!m_notice.isEmpty())
        text = m_notice + QStringLiteral(" · ") + text;
    m_header->setStatus(text, m_client->isConnected());
    const bool waiting = m_client->isWaitingToReconnect();
    m_header->setReconnectAvailable(waiting);
    if (m_reconnectAction)
        m_reconnectAction->setEnabled(waiting);
}

void MainWindow::updateTitle()
{
    const QString room = m_roomName.simplified().left(80);
    QString title = room.isEmpty() ? tr("Chalkroom") : tr("%1 — Chalkroom").arg(room);
    if (const int unread = m_attention->totalUnread())
        title = QStringLiteral("(%1) ").arg(unread) + title;
    setWindowTitle(title);
}

void MainWindow::onReady()
{
    if (!m_client)
        return;
    m_header->setUserName(m_client->user().name);
    if (m_initialDone)
        return;
    m_initialDone = true;
    QString room = m_initialRoom;
    if (room.isEmpty())
        room = settings::lastRoom.get(*m_settings);
    if (!room.isEmpty() && m_client->wantedRoomUuid().isEmpty())
        m_client->enterRoom(room);
}

void MainWindow::onUserChanged(const protocol::User &user)
{
    if (m_client && user.uuid == m_client->user().uuid)
        m_header->setUserName(user.name);
}

void MainWindow::onRoomChanged(const protocol::Room &room)
{
    if (room.uuid == m_client->currentRoomUuid()) {
        m_roomName = m_directNames->nameOf(room);
        updateTitle();
    }
}

void MainWindow::onError(const protocol::CallError &error)
{
    const QString name = protocol::name(error.error);
    qCInfo(lcUi) << "server error" << name << error.detail << "for" << error.callName;
    const QString notice = errorNotice(error);
    if (notice.isEmpty())
        return;
    m_notice = notice;
    m_noticeTimer.start(6000);
    updateStatus();
}

QString MainWindow::errorNotice(const protocol::CallError &error)
{
    using protocol::Call;
    using protocol::Error;
    const QString call = error.callName;
    const auto is = [&call](Call c) { return call == protocol::name(c); };
    // Said elsewhere: the Rooms tab (not_empty_room), the Messages tab (a refused message),
    // the account dialogs (their calls, and the greeting of a server that wants an account).
    // A refused resume is no news: the client takes a new identity by itself, and a lost
    // account opens the sign-in dialog (SessionAuth); "bad_token" would only puzzle.
    if (error.error == Error::NotEmptyRoom || error.error == Error::AccountRequired ||
        (error.error == Error::Blocked && is(Call::CreateMessage)) || is(Call::Register) ||
        is(Call::Login) || is(Call::ChangePassword) || is(Call::Resume))
        return {};
    switch (error.error) {
    case Error::Blocked:
        return tr("This person does not accept direct messages from you");
    case Error::NoSuchUser:
        return tr("This person is offline and has no account: no conversation can start");
    case Error::NotAMember:
        return tr("That is a direct conversation of two other people");
    case Error::NameTaken: // only change_user_name here: the dialogs say register's
        return tr("That name belongs to a registered user: choose another");
    default:
        break;
    }
    const QString name = protocol::name(error.error);
    return call.isEmpty() ? tr("Server: %1").arg(name) : tr("Server: %1 (%2)").arg(name, call);
}

void MainWindow::shareOnNetwork()
{
    if (!m_server)
        return;
    auto *dialog = new ShareDialog(m_server->host(), m_server->port(),
                                   m_client ? m_client->currentRoomUuid() : QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QHostAddress host = dialog->host();
        const quint16 port = dialog->port();
        const QString link = dialog->link();
        QPointer<MainWindow> self(this);
        m_server->relisten(host, port).then([self, host, port, link](bool ok) {
            if (!self || !self->m_server)
                return;
            if (!ok) {
                showNotice(self, QMessageBox::Warning, tr("Not shared"),
                           tr("Chalkroom could not listen on %1:%2: %3")
                               .arg(host.toString())
                               .arg(port)
                               .arg(self->m_server->errorString()));
            } else {
                showNotice(self, QMessageBox::Information, tr("Shared on the network"),
                           tr("Others can join with this link:\n\n%1").arg(link),
                           QStringLiteral("SharedNotice"));
            }
            if (self->m_client)
                self->m_client->connectToServer(self->m_server->localUrl());
            self->updateStatus();
        });
    });
    dialog->open();
}

void MainWindow::connectToServerDialog()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Connect to server"));
    dialog->setLabelText(tr("Server address (ws://host:port):"));
    QString current = settings::server.get(*m_settings);
    if (current.isEmpty() && m_client)
        current = m_client->url().toString();
    dialog->setTextValue(current);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        const QUrl url(text.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
            showNotice(this, QMessageBox::Warning, tr("Not a server address"),
                       tr("A server address looks like ws://192.168.1.20:9000"));
            return;
        }
        settings::server.set(*m_settings, url.toString());
        if (m_client)
            m_client->connectToServer(url);
    });
    dialog->open();
}

} // namespace chalk::ui
