// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ConfigFile: reads the file line by line, keeping every entry's line number; writes sections.
#include "configfile.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>

bool ConfigFile::load(const QString &path)
{
    m_path = QFileInfo(path).absoluteFilePath();
    m_shownPath = path;
    m_defaults.clear();
    m_sections.clear();
    m_errors.clear();
    QFile file(path);
    if (QFileInfo(path).isDir() || !file.open(QIODevice::ReadOnly)) {
        m_errors.append(QStringLiteral("%1: cannot read the configuration file: %2")
                            .arg(path,
                                QFileInfo(path).isDir() ? QStringLiteral("it is a directory")
                                                        : file.errorString()));
        return false;
    }
    if (file.size() > MaxSize) {
        m_errors.append(QStringLiteral("%1: the configuration file is larger than %2 KiB; is it "
                                       "the right file?")
                            .arg(path)
                            .arg(MaxSize / 1024));
        return false;
    }
    const QByteArray bytes = file.read(MaxSize + 1);
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString line = decoder(lines.at(i));
        if (decoder.hasError()) {
            addError(int(i + 1), QStringLiteral("not UTF-8 text"));
            continue;
        }
        parseLine(line, int(i + 1));
    }
    return m_errors.isEmpty();
}

QString ConfigFile::directory() const
{
    return QFileInfo(m_path).absolutePath();
}

QStringList ConfigFile::sectionNames() const
{
    QStringList names;
    for (const Section &section : m_sections)
        names.append(section.name);
    return names;
}

const ConfigFile::Section *ConfigFile::section(const QString &name) const
{
    for (const Section &section : m_sections)
        if (section.name == name)
            return &section;
    return nullptr;
}

namespace {
const QRegularExpression &namePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}\\z"));
    return pattern;
}

const QRegularExpression &keyPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]*\\z"));
    return pattern;
}
} // namespace

QString ConfigFile::format(const Section &section, QString *error)
{
    QString text;
    if (!section.name.isEmpty()) {
        if (!namePattern().match(section.name).hasMatch()) {
            *error = QStringLiteral("'%1' cannot name a cluster: 1 to 64 of A-Z a-z 0-9 . _ -, "
                                    "not starting with a dot")
                         .arg(section.name);
            return QString();
        }
        text += QLatin1Char('[') + section.name + QLatin1String("]\n");
    }
    for (const Entry &entry : section.entries) {
        // The reader trims each line and splits the file at line breaks.
        const bool oneLine = !entry.value.contains(QLatin1Char('\n'))
            && !entry.value.contains(QLatin1Char('\r')) && entry.value == entry.value.trimmed();
        if (!keyPattern().match(entry.key).hasMatch() || !oneLine) {
            *error = QStringLiteral("%1: '%2' cannot be written on one line of the file (a line "
                                    "break, or blanks at the start or the end)")
                         .arg(entry.key, entry.value);
            return QString();
        }
        text += entry.key + QLatin1String(" = ") + entry.value + QLatin1Char('\n');
    }
    return text;
}

void ConfigFile::parseLine(const QString &text, int number)
{
    static const QRegularExpression sectionPattern(QStringLiteral("^\\[\\s*(.*?)\\s*\\]\\z"));
    const QString line = text.trimmed();
    if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
        return;
    if (line.startsWith(QLatin1Char('['))) {
        const QRegularExpressionMatch match = sectionPattern.match(line);
        const QString name = match.captured(1);
        if (!match.hasMatch() || !namePattern().match(name).hasMatch()) {
            addError(number,
                QStringLiteral(
                    "'%1' is not a section: a cluster's name is 1 to 64 of A-Z a-z 0-9 . _ "
                    "- in brackets, not starting with a dot, as in [web]")
                    .arg(line));
            return;
        }
        if (const Section *previous = section(name)) {
            addError(
                number, QStringLiteral("[%1] is already on line %2").arg(name).arg(previous->line));
            return;
        }
        if (m_sections.size() == MaxSections) {
            addError(number,
                QStringLiteral("[%1] is one cluster too many: a file holds at most %2")
                    .arg(name)
                    .arg(MaxSections));
            return;
        }
        m_sections.append(Section { name, number, {} });
        return;
    }
    const qsizetype equals = line.indexOf(QLatin1Char('='));
    const QString key = line.left(equals).trimmed();
    if (equals < 0 || !keyPattern().match(key).hasMatch()) {
        addError(number, QStringLiteral("expected 'key = value' or '[name]', not '%1'").arg(line));
        return;
    }
    const Entry entry { key, line.mid(equals + 1).trimmed(), number };
    if (m_sections.isEmpty())
        m_defaults.append(entry);
    else
        m_sections.last().entries.append(entry);
}

void ConfigFile::addError(int line, const QString &message)
{
    m_errors.append(QStringLiteral("%1:%2: %3").arg(m_shownPath).arg(line).arg(message));
}
