#include "room_dialogs.h"

#include "color_dot.h"
#include "protocol/colors.h"
#include "protocol/limits.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

RenameRoomDialog::RenameRoomDialog(const QString &currentName, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("RenameRoomDialog"));
    setWindowTitle(tr("Rename room"));
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(tr("New name of the room:"), this);
    label->setTextFormat(Qt::PlainText);
    m_edit = new QLineEdit(currentName, this);
    m_edit->setObjectName(QStringLiteral("RoomNameEdit"));
    m_edit->setMaxLength(protocol::Limits{}.roomName);
    m_edit->selectAll();
    m_edit->setMinimumWidth(320);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Rename"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QLineEdit::textChanged, this,
            [this] { m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!name().isEmpty()); });
    layout->addWidget(label);
    layout->addWidget(m_edit);
    layout->addWidget(m_buttons);
}

QString RenameRoomDialog::name() const
{
    return m_edit->text().simplified();
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
