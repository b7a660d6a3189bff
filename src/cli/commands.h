/* The `scrutin` subcommands. Each lives in its own cmd_<name>.c and is
 * called with argv[0] = the subcommand's name. Return value = exit code:
 * 0 ok, 1 verification failed, 2 usage, 3 other error. */
#ifndef SC_CLI_COMMANDS_H
#define SC_CLI_COMMANDS_H

enum { EXIT_OK = 0, EXIT_VERIFY = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

typedef int (*sc_cmd_fn)(int argc, char **argv);

int cmd_manifest(int argc, char **argv); /* check / canonicalise      */
int cmd_guardian(int argc, char **argv); /* one guardian's ceremony   */
int cmd_ceremony(int argc, char **argv); /* all-in-one ceremony       */
int cmd_encrypt(int argc, char **argv);  /* encrypt plaintext ballots */
int cmd_tally(int argc, char **argv);    /* homomorphic tally         */
int cmd_decrypt(int argc, char **argv);  /* joint decryption steps    */
int cmd_verify(int argc, char **argv);   /* independent verifier      */
int cmd_lookup(int argc, char **argv);   /* voter: confirmation code  */
int cmd_demo(int argc, char **argv);     /* a whole demo election     */
int cmd_device(int argc, char **argv);   /* a device's board key      */
int cmd_witness(int argc, char **argv);  /* transparency-log witness  */
int cmd_results(int argc, char **argv);  /* the results, printed      */
int cmd_merge(int argc, char **argv);    /* parallel devices, merged  */
/* Board clients (board_client.c): encrypt --board, board export. */
int cmd_encrypt_board(int argc, char **argv);
int cmd_board_export(int argc, char **argv);
int cmd_board_results(int argc, char **argv);
int cmd_lookup_board(int argc, char **argv);
int cmd_device_close_board(int argc, char **argv);
int cmd_board(int argc, char **argv); /* the bulletin board        */

/* scrutin demo --board (src/cli/demo_board.c) */
int cli_demo_board(int argc, char **argv);

#endif
