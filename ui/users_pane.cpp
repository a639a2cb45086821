#include "users_pane.h"

#include "blocked_users.h"
#include "client/chat_client.h"
#include "client/user_list_model.h"
#include "elided_label.h"
#include "presence_text.h"

#include <QAction>
#include <QHelpEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QStyledItemDelegate>
#include <QToolTip>
#include <QVBoxLayout>

namespace chalk::ui {

using client::UserListModel;

namespace {
constexpr int kDotSize = 12; // the presence dot before a name

class UserDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        // Drawn as plain text. The name is elided on its own so that "(you)" always shows.
        const bool self = index.data(UserListModel::IsSelfRole).toBool();
        if (self)
            option->font.setBold(true);
        const QFontMetrics fm(option->font);
        const QString name = index.data(UserListModel::NameRole).toString().simplified();
        const QString suffix = self ? UsersPane::tr(" (you)") : QString();
        // The presence dot before the name.
        const int dot = kDotSize;
        option->icon = presence_text::dot(index.data(UserListModel::OnlineRole).toBool(), dot,
                                          option->palette.color(QPalette::Base));
        option->decorationSize = QSize(dot, dot);
        option->features |= QStyleOptionViewItem::HasDecoration;
        const int room = option->rect.width() - 32 - dot - fm.horizontalAdvance(suffix);
        option->text = (room > 0 ? fm.elidedText(name, Qt::ElideRight, room) : name) + suffix;
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setHeight(std::max(s.height(), option.fontMetrics.height() + 12));
        s.setWidth(100); // the width never pushes the pane wider: long names are elided
        return s;
    }
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &,
                   const QModelIndex &index) override
    {
        if (event->type() != QEvent::ToolTip || !index.isValid())
            return false;
        const QString presence = presence_text::describe(
            index.data(UserListModel::OnlineRole).toBool(),
            index.data(UserListModel::LastSeenRole).toDateTime(), QDateTime::currentDateTime());
        QToolTip::showText(event->globalPos(),
                           plainToolTip(UsersPane::rowText(index) + QLatin1Char('\n') + presence),
                           view);
        return true;
    }
};
} // namespace

UsersPane::UsersPane(client::UserListModel *users, client::ChatClient *client,
                     BlockedUsers *blocked, QWidget *parent)
    : QWidget(parent)
    , m_users(users)
    , m_client(client)
    , m_blocked(blocked)
{
    setObjectName(QStringLiteral("UsersPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);
    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("UserList"));
    m_view->setModel(users);
    m_view->setItemDelegate(new UserDelegate(m_view));
    m_view->setIconSize(QSize(kDotSize, kDotSize));
    m_view->setUniformItemSizes(true);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAccessibleName(tr("People in the room"));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QListView::doubleClicked, this, &UsersPane::messageUser);
    connect(m_view, &QWidget::customContextMenuRequested, this, &UsersPane::showContextMenu);
    layout->addWidget(m_count);
    layout->addWidget(m_view, 1);
    connect(users, &QAbstractItemModel::modelReset, this, &UsersPane::updateCount);
    connect(users, &QAbstractItemModel::rowsInserted, this, &UsersPane::updateCount);
    connect(users, &QAbstractItemModel::rowsRemoved, this, &UsersPane::updateCount);
    updateCount();
}

QString UsersPane::rowText(const QModelIndex &index)
{
    const QString name = index.data(UserListModel::NameRole).toString().simplified();
    return index.data(UserListModel::IsSelfRole).toBool() ? name + tr(" (you)") : name;
}

void UsersPane::messageUser(const QModelIndex &index)
{
    if (!index.isValid() || !m_client || index.data(UserListModel::IsSelfRole).toBool())
        return;
    // The answer is room_entered: the window switches to the conversation's messages.
    m_client->openDirect(index.data(UserListModel::UuidRole).toString());
}

QMenu *UsersPane::menuFor(const QModelIndex &index)
{
    auto *menu = new QMenu(this);
    if (!index.isValid())
        return menu;
    // The name is peer text: '&' would be a mnemonic in a menu.
    QAction *title = menu->addAction(index.data(UserListModel::NameRole)
                                         .toString()
                                         .simplified()
                                         .left(40)
                                         .replace(QLatin1Char('&'), QStringLiteral("&&")));
    title->setEnabled(false);
    menu->addSeparator();
    const bool self = index.data(UserListModel::IsSelfRole).toBool();
    QAction *message = menu->addAction(
        tr("&Message"), this, [this, index = QPersistentModelIndex(index)] { messageUser(index); });
    message->setObjectName(QStringLiteral("MessageUserAction"));
    message->setToolTip(tr("Open a direct conversation with this person"));
    message->setEnabled(!self && m_client && m_client->isConnected());
    if (m_blocked && !self)
        m_blocked->addActionsTo(menu, index.data(UserListModel::UuidRole).toString());
    return menu;
}

void UsersPane::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu *menu = menuFor(index);
    menu->exec(m_view->viewport()->mapToGlobal(pos));
    delete menu;
}

void UsersPane::updateCount()
{
    const int n = m_users->rowCount();
    m_count->setText(m_users->roomUuid().isEmpty() ? tr("Enter a room to see who is in it.")
                                                   : tr("%n in this room", nullptr, n));
}

} // namespace chalk::ui
