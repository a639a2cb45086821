#include "rooms_pane.h"

#include "blocked_users.h"
#include "client/chat_client.h"
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "direct_names.h"
#include "notice.h"
#include "room_delegate.h"
#include "room_dialogs.h"
#include "room_list_view.h"
#include "themed_icon.h"

#include <QAction>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QResizeEvent>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

using client::RoomListModel;

namespace {
QToolButton *toolButton(QAction *action, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setIconSize(QSize(16, 16));
    b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return b;
}
// Room names may contain '&': in a menu it would become a mnemonic.
QString menuSafe(QString text)
{
    return text.simplified().left(40).replace(QLatin1Char('&'), QStringLiteral("&&"));
}
} // namespace

RoomsPane::RoomsPane(client::ChatClient *client, client::RoomListModel *rooms, DirectNames *names,
                     BlockedUsers *blocked, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_rooms(rooms)
    , m_names(names)
    , m_blocked(blocked)
{
    setObjectName(QStringLiteral("RoomsPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("RoomSearch"));
    m_search->setPlaceholderText(tr("Search rooms"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(themes::icon(QStringLiteral(":/icons/search.png"), themes::IconPlace::Pane),
                        QLineEdit::LeadingPosition);
    m_search->setMaxLength(64);

    // The rooms proxy first: it hears a reset of the list before the Direct one (m_keepSelected).
    m_proxy = new RoomSectionProxy(RoomSectionProxy::Section::Rooms, rooms, names, this);
    m_directProxy = new RoomSectionProxy(RoomSectionProxy::Section::Direct, rooms, names, this);
    if (client)
        m_directProxy->setPresence(client->presence());
    for (RoomSectionProxy *proxy : {m_proxy, m_directProxy})
        connect(m_search, &QLineEdit::textChanged, proxy,
                &client::RoomFilterProxyModel::setSearchText);

    // Said, not left as a blank list: the search found nothing.
    m_noMatch = new QLabel(this);
    m_noMatch->setObjectName(QStringLiteral("RoomSearchEmpty"));
    m_noMatch->setTextFormat(Qt::PlainText); // it quotes what was typed
    m_noMatch->setWordWrap(true);
    m_noMatch->hide();
    const auto updateNoMatch = [this] {
        const QString search = m_proxy->searchText();
        const bool none =
            !search.isEmpty() && m_proxy->rowCount() == 0 && m_directProxy->rowCount() == 0;
        m_noMatch->setText(none ? tr("No room matches “%1”.").arg(search) : QString());
        m_noMatch->setVisible(none);
    };
    connect(m_search, &QLineEdit::textChanged, this, updateNoMatch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { updateDirectHint(); });
    for (RoomSectionProxy *proxy : {m_proxy, m_directProxy}) {
        connect(proxy, &QAbstractItemModel::rowsInserted, this, updateNoMatch);
        connect(proxy, &QAbstractItemModel::rowsRemoved, this, updateNoMatch);
        connect(proxy, &QAbstractItemModel::modelReset, this, updateNoMatch);
        connect(proxy, &QAbstractItemModel::layoutChanged, this, updateNoMatch);
    }

    // The same view class (and object name, which the themes style) for both sections.
    m_view = new RoomListView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new RoomDelegate(m_view));
    m_view->setAccessibleName(tr("Rooms"));
    m_directView = new RoomListView(this);
    m_directView->setModel(m_directProxy);
    m_directView->setItemDelegate(new RoomDelegate(m_directView));
    m_directView->setAccessibleName(tr("Direct conversations"));
    const auto sectionLabel = [this](const QString &text, const QString &name) {
        auto *label = new QLabel(text, this);
        label->setObjectName(name);
        label->setTextFormat(Qt::PlainText);
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        return label;
    };
    QLabel *roomsLabel = sectionLabel(tr("Rooms"), QStringLiteral("RoomsSectionLabel"));
    roomsLabel->setBuddy(m_view);
    QLabel *directLabel = sectionLabel(tr("Direct"), QStringLiteral("DirectSectionLabel"));
    directLabel->setBuddy(m_directView);
    m_directHint = new QLabel(tr("No direct conversations yet. Double-click someone in Users "
                                 "(or right-click: Message) to talk with them alone."),
                              this);
    m_directHint->setObjectName(QStringLiteral("HintLabel"));
    m_directHint->setTextFormat(Qt::PlainText);
    m_directHint->setWordWrap(true);

    m_enterAction = new QAction(tr("Enter"), this);
    m_newAction =
        new QAction(themes::icon(QStringLiteral(":/icons/room-add.png"), themes::IconPlace::Pane),
                    tr("New"), this);
    m_newAction->setToolTip(tr("Create a room"));
    m_renameAction = new QAction(
        themes::icon(QStringLiteral(":/icons/room-rename.png"), themes::IconPlace::Pane),
        tr("Rename…"), this);
    m_colorAction =
        new QAction(themes::icon(QStringLiteral(":/icons/room-color.png"), themes::IconPlace::Pane),
                    tr("Colour…"), this);
    m_deleteAction = new QAction(
        themes::icon(QStringLiteral(":/icons/room-delete.png"), themes::IconPlace::Pane),
        tr("Delete"), this);
    m_deleteAction->setToolTip(tr("Delete the room (only when nobody is in it)"));
    connect(m_enterAction, &QAction::triggered, this, &RoomsPane::enterSelected);
    connect(m_newAction, &QAction::triggered, this, &RoomsPane::createRoom);
    connect(m_renameAction, &QAction::triggered, this, &RoomsPane::renameSelected);
    connect(m_colorAction, &QAction::triggered, this, &RoomsPane::recolorSelected);
    connect(m_deleteAction, &QAction::triggered, this, &RoomsPane::deleteSelected);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    m_newButton = toolButton(m_newAction, this);
    m_newButton->setObjectName(QStringLiteral("NewRoomButton"));
    m_renameButton = toolButton(m_renameAction, this);
    m_renameButton->setObjectName(QStringLiteral("RenameRoomButton"));
    m_colorButton = toolButton(m_colorAction, this);
    m_colorButton->setObjectName(QStringLiteral("ColorRoomButton"));
    m_deleteButton = toolButton(m_deleteAction, this);
    m_deleteButton->setObjectName(QStringLiteral("DeleteRoomButton"));
    for (auto *b : {m_newButton, m_renameButton, m_colorButton, m_deleteButton})
        buttons->addWidget(b);
    buttons->addStretch();

    layout->addWidget(m_search);
    layout->addWidget(m_noMatch);
    layout->addWidget(roomsLabel);
    layout->addWidget(m_view, 3);
    layout->addWidget(directLabel);
    layout->addWidget(m_directHint);
    layout->addWidget(m_directView, 2);
    layout->addLayout(buttons);

    setUpList(m_view);
    setUpList(m_directView);
    // A reconnect lists the rooms anew (a model reset): the selection survives it, so Rename,
    // Colour and Delete stay usable (issue 12). Both proxies are told before either resets.
    for (RoomSectionProxy *proxy : {m_proxy, m_directProxy}) {
        connect(proxy, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            if (m_keepSelected.isEmpty())
                m_keepSelected = selectedRoom();
        });
        connect(proxy, &QAbstractItemModel::modelReset, this, [this, proxy] {
            const int row = m_rooms->indexOf(m_keepSelected);
            if (row >= 0 && proxy->mapFromSource(m_rooms->index(row)).isValid() &&
                selectRoom(m_keepSelected))
                m_keepSelected.clear();
            if (proxy == m_directProxy)
                m_keepSelected.clear(); // the last to reset: nothing more to wait for
            updateActions();
            updateDirectHint();
        });
        connect(proxy, &QAbstractItemModel::rowsRemoved, this, &RoomsPane::updateActions);
        connect(proxy, &QAbstractItemModel::dataChanged, this, &RoomsPane::updateActions);
    }
    connect(m_directProxy, &QAbstractItemModel::rowsInserted, this, &RoomsPane::updateDirectHint);
    connect(m_directProxy, &QAbstractItemModel::rowsRemoved, this, &RoomsPane::updateDirectHint);
    connect(m_directProxy, &QAbstractItemModel::layoutChanged, this, &RoomsPane::updateDirectHint);
    if (m_blocked)
        connect(m_blocked, &BlockedUsers::changed, this, &RoomsPane::updateActions);
    if (client) {
        connect(client, &client::ChatClient::callErrorReceived, this, &RoomsPane::onError);
        connect(client, &client::ChatClient::stateChanged, this, &RoomsPane::updateActions);
        connect(client, &client::ChatClient::roomCreated, this, [this](const protocol::Room &room) {
            if (m_selectNextCreated) {
                m_selectNextCreated = false;
                selectRoom(room.uuid);
            }
        });
    }
    updateActions();
    updateDirectHint();
}

void RoomsPane::setUpList(RoomListView *view)
{
    connect(view, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid() && m_client)
            m_client->enterRoom(index.data(RoomListModel::UuidRole).toString());
    });
    connect(view, &QListView::activated, this, [this, view](const QModelIndex &index) {
        // Enter on the keyboard (a double click arrives as doubleClicked too).
        if (index.isValid() && m_client && view->hasFocus() &&
            !(QGuiApplication::mouseButtons() & Qt::LeftButton))
            m_client->enterRoom(index.data(RoomListModel::UuidRole).toString());
    });
    connect(view, &QWidget::customContextMenuRequested, this,
            [this, view](const QPoint &pos) { showContextMenu(view, pos); });
    // One selection for the two lists: selecting in one clears the other.
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, view] {
        RoomListView *other = view == m_view ? m_directView : m_view;
        if (view->selectionModel()->hasSelection() && other->selectionModel()->hasSelection())
            other->clearSelection();
        updateActions();
    });
}

void RoomsPane::updateDirectHint()
{
    // The list while it shows conversations; the hint when there are none at all.
    const bool shown = m_directProxy->rowCount() > 0;
    m_directView->setVisible(shown);
    m_directHint->setVisible(!shown && m_proxy->searchText().isEmpty());
}

void RoomsPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateButtonStyle();
}

void RoomsPane::updateButtonStyle()
{
    // Text beside the icons when it fits, icons only (text in the tooltip) when the pane is
    // narrow: never buttons whose labels are cut to "…".
    const QList<QToolButton *> buttons = {m_newButton, m_renameButton, m_colorButton,
                                          m_deleteButton};
    int needed = 0;
    for (QToolButton *b : buttons)
        needed += b->fontMetrics().horizontalAdvance(b->defaultAction()->text()) + 48;
    const Qt::ToolButtonStyle style =
        width() - 16 >= needed ? Qt::ToolButtonTextBesideIcon : Qt::ToolButtonIconOnly;
    for (QToolButton *b : buttons) {
        if (b->toolButtonStyle() != style)
            b->setToolButtonStyle(style);
    }
}

QString RoomsPane::selectedRoom() const
{
    for (RoomListView *view : {m_view, m_directView}) {
        const QModelIndexList rows = view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            return rows.first().data(RoomListModel::UuidRole).toString();
    }
    return {};
}

bool RoomsPane::selectRoom(const QString &uuid)
{
    const int row = m_rooms->indexOf(uuid);
    if (row < 0)
        return false;
    const bool direct = m_rooms->room(row).isDirect();
    RoomListView *view = direct ? m_directView : m_view;
    const QModelIndex index =
        (direct ? m_directProxy : m_proxy)->mapFromSource(m_rooms->index(row));
    if (!index.isValid())
        return false;
    view->setCurrentIndex(index);
    view->scrollTo(index);
    return true;
}

QStringList RoomsPane::roomNames(const QString &except) const
{
    QStringList names;
    for (int i = 0; i < m_rooms->rowCount(); ++i) {
        const protocol::Room room = m_rooms->room(i);
        if (room.uuid != except)
            names.append(room.name);
    }
    return names;
}

void RoomsPane::createRoom()
{
    if (!m_client)
        return;
    auto *dialog = new NewRoomDialog(roomNames(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_client && m_client->createRoom(dialog->name()))
            m_selectNextCreated = true; // select it, so Rename / Colour are one click away
    });
    dialog->open();
}

void RoomsPane::enterSelected()
{
    const QString uuid = selectedRoom();
    if (!uuid.isEmpty() && m_client)
        m_client->enterRoom(uuid);
}

void RoomsPane::renameSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room)
        return;
    auto *dialog = new RenameRoomDialog(room->name, roomNames(uuid), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, uuid] {
        const QString name = dialog->name();
        if (!name.isEmpty() && m_client)
            m_client->changeRoomName(uuid, name);
    });
    dialog->open();
}

void RoomsPane::recolorSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room)
        return;
    auto *dialog = new RoomColorDialog(room->name, room->color, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, uuid] {
        const QString color = dialog->color();
        if (!color.isEmpty() && m_client)
            m_client->changeRoomColor(uuid, color);
    });
    dialog->open();
}

void RoomsPane::deleteSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room || !m_client)
        return;
    // Asked first: a room's messages and drawing go with it. The server then decides (the
    // local member list may be stale); not_empty_room is explained in onError.
    QMessageBox *box = confirmRoomDeletion(this, room->name);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, uuid](QAbstractButton *button) {
        if (box->buttonRole(button) == QMessageBox::DestructiveRole && m_client)
            m_client->deleteRoom(uuid);
    });
    box->open();
}

void RoomsPane::onError(const protocol::CallError &error)
{
    switch (error.error) {
    case protocol::Error::NotEmptyRoom:
        showNotice(this, QMessageBox::Information, tr("Room not deleted"),
                   tr("This room still has people in it. A room can be deleted once everyone "
                      "has left it."),
                   QStringLiteral("NotEmptyRoomNotice"));
        break;
    case protocol::Error::RateLimited:
    case protocol::Error::TooManyRooms:
        if (error.callName == protocol::name(protocol::Call::CreateRoom))
            m_selectNextCreated = false; // no room_created is coming for it
        break;
    default:
        break; // the header shows the others
    }
}

void RoomsPane::updateActions()
{
    const bool connected = m_client && m_client->isConnected();
    const QString uuid = selectedRoom();
    const bool selected = !uuid.isEmpty();
    const auto room = selected ? m_rooms->roomByUuid(uuid) : std::nullopt;
    // A direct conversation is named after the other person and belongs to both: not
    // renamed, recoloured or deleted from here.
    const bool direct = room && room->isDirect();
    m_newAction->setEnabled(connected);
    m_enterAction->setEnabled(connected && selected);
    for (QAction *action : {m_renameAction, m_colorAction, m_deleteAction})
        action->setEnabled(connected && selected && !direct);
    m_deleteAction->setToolTip(direct ? tr("A direct conversation cannot be deleted")
                                      : tr("Delete the room (only when nobody is in it)"));
}

void RoomsPane::showContextMenu(RoomListView *view, const QPoint &pos)
{
    const QModelIndex index = view->indexAt(pos);
    if (index.isValid())
        view->setCurrentIndex(index);
    QMenu menu(this);
    if (index.isValid()) {
        QAction *title = menu.addAction(menuSafe(index.data(RoomListModel::NameRole).toString()));
        title->setEnabled(false);
        menu.addSeparator();
        menu.addAction(m_enterAction);
        menu.addAction(m_renameAction);
        menu.addAction(m_colorAction);
        menu.addAction(m_deleteAction);
        const auto room = m_rooms->roomByUuid(index.data(RoomListModel::UuidRole).toString());
        if (room && room->isDirect() && m_blocked && m_names) {
            menu.addSeparator();
            m_blocked->addActionsTo(&menu, m_names->otherMember(*room));
        }
        menu.addSeparator();
    }
    menu.addAction(m_newAction);
    menu.exec(view->viewport()->mapToGlobal(pos));
}

} // namespace chalk::ui
