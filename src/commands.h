/* Purpose: the admin subcommands (ifhookd COMMAND ...); each parses its own
 * arguments (argv[0] is the command's name) and returns the exit status. */
#ifndef IFHOOKD_COMMANDS_H
#define IFHOOKD_COMMANDS_H

int cmd_monitor(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* The command of that name, or NULL. */
int (*command_find(const char *name))(int argc, char **argv);

#endif
