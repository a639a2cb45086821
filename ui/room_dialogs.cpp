#include "room_dialogs.h"

#include "color_dot.h"
#include "protocol/colors.h"
#include "protocol/limits.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

namespace {
QString nameKey(const QString &name)
{
    return name.simplified().toCaseFolded();
}
} // namespace

RoomNameDialog::RoomNameDialog(const QString &title, const QString &prompt, const QString &okText,
                               const QString &initialName, const QStringList &takenNames,
                               QWidget *parent)
    : QDialog(parent)
    , m_taken(takenNames)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(prompt, this);
    label->setTextFormat(Qt::PlainText);
    m_edit = new QLineEdit(initialName, this);
    m_edit->setObjectName(QStringLiteral("RoomNameEdit"));
    // A little over the limit, so that a pasted long name is told, not silently cut.
    m_edit->setMaxLength(protocol::Limits{}.roomName * 4);
    m_edit->selectAll();
    m_edit->setMinimumWidth(320);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("RoomNameError"));
    m_error->setTextFormat(Qt::PlainText); // it may quote the typed name
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(okText);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (errorText().isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QLineEdit::textChanged, this, &RoomNameDialog::validate);
    layout->addWidget(label);
    layout->addWidget(m_edit);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    validate();
}

QString RoomNameDialog::name() const
{
    return m_edit->text().simplified();
}

QString RoomNameDialog::errorText() const
{
    return m_error->text();
}

QString RoomNameDialog::problemWith(const QString &name, const QStringList &takenNames)
{
    const QString simple = name.simplified();
    const int limit = protocol::Limits{}.roomName;
    if (simple.isEmpty())
        return tr("A room needs a name.");
    if (simple.size() > limit)
        return tr("A room name has at most %1 characters; this one has %2.")
            .arg(limit)
            .arg(simple.size());
    const QString key = nameKey(simple);
    for (const QString &taken : takenNames) {
        if (nameKey(taken) == key)
            return tr("There is a room called “%1” already.").arg(taken.simplified());
    }
    return {};
}

void RoomNameDialog::validate()
{
    const QString problem = problemWith(m_edit->text(), m_taken);
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

RenameRoomDialog::RenameRoomDialog(const QString &currentName, const QStringList &otherNames,
                                   QWidget *parent)
    : RoomNameDialog(tr("Rename room"), tr("New name of the room:"), tr("Rename"), currentName,
                     otherNames, parent)
{
    setObjectName(QStringLiteral("RenameRoomDialog"));
}

NewRoomDialog::NewRoomDialog(const QStringList &existingNames, QWidget *parent)
    : RoomNameDialog(tr("New room"), tr("Name of the new room:"), tr("Create"),
                     defaultName(existingNames), existingNames, parent)
{
    setObjectName(QStringLiteral("NewRoomDialog"));
}

QString NewRoomDialog::defaultName(const QStringList &existingNames)
{
    QSet<QString> taken;
    for (const QString &n : existingNames)
        taken.insert(nameKey(n));
    for (qsizetype i = existingNames.size() + 1;; ++i) {
        const QString candidate = tr("Room %1").arg(i);
        if (!taken.contains(nameKey(candidate)))
            return candidate;
    }
}

QMessageBox *confirmRoomDeletion(QWidget *parent, const QString &roomName)
{
    auto *box = new QMessageBox(parent);
    box->setObjectName(QStringLiteral("DeleteRoomConfirm"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setTextFormat(Qt::PlainText); // the room name is peer text
    box->setWindowTitle(QObject::tr("Delete room"));
    box->setText(QObject::tr("Delete the room “%1”?").arg(roomName.simplified().left(64)));
    box->setInformativeText(QObject::tr("Its whole history goes too: every message and the "
                                        "drawing, for everyone. This cannot be undone."));
    QPushButton *del = box->addButton(QObject::tr("Delete"), QMessageBox::DestructiveRole);
    del->setObjectName(QStringLiteral("ConfirmDeleteButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setWindowModality(Qt::WindowModal);
    return box;
}

RoomColorDialog::RoomColorDialog(const QString &roomName, const QString &currentColor,
                                 QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("RoomColorDialog"));
    setWindowTitle(tr("Room colour"));
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(tr("Colour of “%1”:").arg(roomName.simplified().left(64)), this);
    label->setTextFormat(Qt::PlainText); // the room name is peer text
    label->setWordWrap(true);
    layout->addWidget(label);
    auto *grid = new QGridLayout;
    m_group = new QButtonGroup(this);
    m_group->setExclusive(true);
    const QStringList &palette = protocol::roomPalette();
    for (int i = 0; i < palette.size(); ++i) {
        auto *b = new QToolButton(this);
        b->setObjectName(QStringLiteral("ColorSwatchButton"));
        b->setCheckable(true);
        b->setIcon(QIcon(colorDot(QColor(palette[i]), 26, 2)));
        b->setIconSize(QSize(26, 26));
        b->setProperty("color", palette[i]);
        b->setAccessibleName(palette[i]);
        b->setToolTip(palette[i]);
        if (palette[i].compare(currentColor, Qt::CaseInsensitive) == 0)
            b->setChecked(true);
        m_group->addButton(b, i);
        grid->addWidget(b, i / 5, i % 5);
    }
    layout->addLayout(grid);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_group, &QButtonGroup::idClicked, this,
            [buttons](int) { buttons->button(QDialogButtonBox::Ok)->setEnabled(true); });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(m_group->checkedButton() != nullptr);
    layout->addWidget(buttons);
}

QString RoomColorDialog::color() const
{
    return m_group->checkedButton() ? m_group->checkedButton()->property("color").toString()
                                    : QString();
}

QList<QAbstractButton *> RoomColorDialog::swatches() const
{
    return m_group->buttons();
}

} // namespace chalk::ui
