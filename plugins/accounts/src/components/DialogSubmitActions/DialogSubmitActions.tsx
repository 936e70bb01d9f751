import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import DialogActions from '@material-ui/core/DialogActions';

/**
 * Cancel and submit buttons of a form dialog: while `busy`, both are
 * disabled and the submit button shows a spinner and `busyLabel`, so a
 * second click cannot send the form twice.
 */
export function DialogSubmitActions(props: {
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  const { busy, label, busyLabel, onCancel } = props;
  return (
    <DialogActions>
      <Button onClick={onCancel} disabled={busy}>
        Cancel
      </Button>
      <Button
        type="submit"
        variant="contained"
        color="primary"
        disabled={busy}
        startIcon={
          busy ? <CircularProgress size={16} color="inherit" /> : undefined
        }
      >
        {busy ? busyLabel : label}
      </Button>
    </DialogActions>
  );
}
