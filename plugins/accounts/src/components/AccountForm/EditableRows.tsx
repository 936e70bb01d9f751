import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid, { GridSize } from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import { FieldErrors } from './formValues';

/** One text column of {@link EditableRows}. */
export interface RowColumn<T> {
  key: keyof T & string;
  /** The field's label in row `n` (counting from 1). */
  label: (n: number) => string;
  width: GridSize;
  placeholder?: string;
  /** Shown under the field when it has no error. */
  help?: string;
  multiline?: boolean;
  monospace?: boolean;
}

/** Props of {@link EditableRows}. */
export interface EditableRowsProps<T extends Record<string, string>> {
  /** Prefix of the fields' element ids. */
  id: string;
  /** The form field the rows make up, e.g. `labels`: errors are found under `labels` and `labels.<row>.<column>`. */
  field: string;
  title: string;
  /** What one row is, e.g. `label`: "Add label", "Remove label 2". */
  itemName: string;
  rows: T[];
  columns: RowColumn<T>[];
  /** A new, empty row. */
  empty: T;
  errors: FieldErrors;
  disabled?: boolean;
  /** The rows after a change, and the field path that changed. */
  onChange: (rows: T[], changedField: string) => void;
}

/**
 * A titled list of rows of text fields (labels, services), each row with a
 * remove button, and a button to add a row. Each field shows its own error.
 */
export function EditableRows<T extends Record<string, string>>(
  props: EditableRowsProps<T>,
) {
  const { id, field, itemName, rows, columns, errors, disabled, onChange } =
    props;
  return (
    <Grid item xs={12}>
      <Typography variant="subtitle2" gutterBottom>
        {props.title}
      </Typography>
      {rows.map((row, index) => (
        <Grid container spacing={1} key={index} alignItems="flex-start">
          {columns.map(column => {
            const path = `${field}.${index}.${column.key}`;
            return (
              <Grid item xs={column.width} key={column.key}>
                <TextField
                  id={`${id}-${itemName}-${index}-${column.key}`}
                  fullWidth
                  variant="outlined"
                  size="small"
                  multiline={column.multiline}
                  minRows={column.multiline ? 1 : undefined}
                  label={column.label(index + 1)}
                  placeholder={column.placeholder}
                  disabled={disabled}
                  value={row[column.key]}
                  error={Boolean(errors[path])}
                  helperText={errors[path] ?? column.help}
                  inputProps={
                    column.monospace
                      ? { style: { fontFamily: 'monospace' } }
                      : undefined
                  }
                  onChange={e =>
                    onChange(
                      rows.map((existing, i) =>
                        i === index
                          ? { ...existing, [column.key]: e.target.value }
                          : existing,
                      ),
                      path,
                    )
                  }
                />
              </Grid>
            );
          })}
          <Grid item xs={2}>
            <IconButton
              aria-label={`Remove ${itemName} ${index + 1}`}
              disabled={disabled}
              onClick={() =>
                onChange(
                  rows.filter((_, i) => i !== index),
                  field,
                )
              }
            >
              <DeleteIcon />
            </IconButton>
          </Grid>
        </Grid>
      ))}
      {errors[field] && <FormHelperText error>{errors[field]}</FormHelperText>}
      <Box mt={1}>
        <Button
          size="small"
          startIcon={<AddIcon />}
          disabled={disabled}
          onClick={() => onChange([...rows, { ...props.empty }], field)}
        >
          Add {itemName}
        </Button>
      </Box>
    </Grid>
  );
}
